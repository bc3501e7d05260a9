using System.Text.Json;
using Portal.Grains.Demo;
using Portal.Grains.Text;
using Portal.Grains.Model;

namespace Portal.Grains.Tests;

public sealed class DemoElectionGeneratorTests
{
    private static readonly ElectionDefinition Demo = DemoElectionGenerator.Generate(new DemoElectionOptions());

    [Fact]
    public void SameSeedGivesIdenticalOutput()
    {
        var again = DemoElectionGenerator.Generate(new DemoElectionOptions());
        Assert.Equal(Serialize(Demo), Serialize(again));
        var other = DemoElectionGenerator.Generate(new DemoElectionOptions { Seed = 99 });
        Assert.NotEqual(Serialize(Demo), Serialize(other));
    }

    [Fact]
    public void TheGeneratedElectionPassesValidation() => Assert.Empty(ElectionDefinitionValidator.Validate(Demo));

    [Fact]
    public void HasTheFourteenRegionsInFourLanguages()
    {
        Assert.Equal(14, Demo.Regions.Count);
        Assert.All(Demo.Regions, r => Assert.Equal(["en", "ru", "uz", "uz-Cyrl"], r.Name.Keys.Order(StringComparer.Ordinal)));
        Assert.Contains(Demo.Regions, r => r.Name["en"] == "Republic of Karakalpakstan");
        Assert.Contains(Demo.Regions, r => r.Name["uz-Cyrl"] == "Тошкент шаҳри");
    }

    [Fact]
    public void HasOneHundredFiftyLegislativeConstituenciesAndALocalCouncil()
    {
        var legislative = Demo.Contests.Single(c => c.Kind == "legislative");
        Assert.Equal(150, legislative.Constituencies.Count);
        Assert.Contains(Demo.Contests, c => c.Kind.EndsWith("council", StringComparison.Ordinal) && c.Constituencies.Count > 0);
        // Roughly by population: Samarkand (4.1 M) has more seats than Syrdarya (0.9 M).
        Assert.True(legislative.Constituencies.Count(c => c.RegionId == "samarkand") > 3 * legislative.Constituencies.Count(c => c.RegionId == "syrdarya"));
    }

    [Fact]
    public void EveryStationHasVotersInRangeAndOneConstituencyPerContest()
    {
        Assert.InRange(Demo.Stations.Count, 1450, 1550);
        foreach (var station in Demo.Stations)
        {
            Assert.InRange(station.VotersOnList, 20, 3000);
            Assert.Equal(Demo.Contests.Select(c => c.Id).Order(), station.Constituencies.Keys.Order());
            foreach (var (contest, constituency) in station.Constituencies)
                Assert.Single(Demo.Contests.Single(c => c.Id == contest).Constituencies, k => k.Id == constituency && k.RegionId == station.RegionId);
        }
    }

    [Fact]
    public void ConstituenciesHaveThreeToFiveCandidatesOfDistinctRegisteredParties()
    {
        var parties = Demo.Parties.Select(p => p.Id).ToHashSet();
        Assert.Equal(5, parties.Count);
        foreach (var constituency in Demo.Contests.SelectMany(c => c.Constituencies))
        {
            Assert.InRange(constituency.Candidates.Count, 3, 5);
            Assert.All(constituency.Candidates, c => Assert.Contains(c.Party, parties));
            Assert.Equal(constituency.Candidates.Count, constituency.Candidates.Select(c => c.Party).Distinct().Count());
            Assert.All(constituency.Candidates, c => Assert.Matches("^[А-ЯЁЎҚҒҲ][а-яёўқғҳъ]+", c.NameForms!["uz-Cyrl"]));
        }
    }

    [Fact]
    public void ActiveCamerasAreSpreadOverTheRegions()
    {
        var election = DemoElectionGenerator.Generate(new DemoElectionOptions { ActiveCameraStations = 5 });
        Assert.All(election.Stations, s => Assert.Equal(2, s.Cameras.Count));
        var live = election.Stations.Where(s => s.Cameras.Any(c => c.Enabled)).ToList();
        Assert.Equal(5, live.Count);
        Assert.All(live, s => Assert.All(s.Cameras, c => Assert.True(c.Enabled)));
        // One per region, each region's first station.
        Assert.Equal(election.Regions.Take(5).Select(r => r.Id), live.Select(s => s.RegionId));
        Assert.All(live, s => Assert.Equal(election.Stations.First(x => x.RegionId == s.RegionId).Id, s.Id));

        var many = DemoElectionGenerator.Generate(new DemoElectionOptions { ActiveCameraStations = election.Regions.Count * 2 + 1 });
        var perRegion = many.Stations.Where(s => s.Cameras.Any(c => c.Enabled)).GroupBy(s => s.RegionId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(many.Regions.Count, perRegion.Count);
        Assert.Equal(3, perRegion[many.Regions[0].Id]);
        Assert.All(many.Regions.Skip(1), r => Assert.Equal(2, perRegion[r.Id]));
    }

    [Fact]
    public void ScalesToOneHundredThousandStations()
    {
        var big = DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = 100_000 });
        Assert.Equal(100_000, big.Stations.Count);
        Assert.Equal(100_000, big.Stations.Select(s => s.Id).Distinct().Count());
        Assert.Empty(ElectionDefinitionValidator.Validate(big));
    }

    private static readonly char[] OtherApostrophes = ['\'', '\u2018', '\u2019', '`'];

    private static IEnumerable<(string What, IReadOnlyDictionary<string, string> Forms, string Written)> AllNames() =>
    [
        .. Demo.Regions.Select(r => ($"region {r.Id}", (IReadOnlyDictionary<string, string>)r.Name, r.Name["uz"])),
        .. Demo.Parties.Select(p => ($"party {p.Id}", (IReadOnlyDictionary<string, string>)p.Name, p.Name["uz"])),
        .. Demo.Contests.SelectMany(c => c.Constituencies).Select(k => ($"constituency {k.Id}", (IReadOnlyDictionary<string, string>)k.Name, k.Name["uz"])),
        .. Demo.Contests.SelectMany(c => c.Constituencies).SelectMany(k => k.Candidates).Select(c => ($"candidate {c.Id}", (IReadOnlyDictionary<string, string>)c.NameForms!, c.Name)),
        .. Demo.Stations.Select(s => ($"station {s.Id}", (IReadOnlyDictionary<string, string>)s.AddressForms!, s.Address)),
    ];

    [Fact]
    public void UzbekLatinNamesUseTheModifierLetterApostrophesOnly()
    {
        foreach (var (what, _, written) in AllNames())
            Assert.True(written.IndexOfAny(OtherApostrophes) < 0, $"{what}: \"{written}\" has a typewriter or quotation-mark apostrophe");
        // oʻ and gʻ take U+02BB; the tutuq belgisi U+02BC.
        Assert.Contains(Demo.Regions, r => r.Name["uz"] == "Qoraqalpogʻiston Respublikasi");
        Assert.Contains(Demo.Stations, s => s.Address.Contains("koʻchasi", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryNameHasItsUzbekCyrillicAndRussianForms()
    {
        static bool Latin(string s) => s.Any(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z');
        foreach (var (what, forms, _) in AllNames())
        {
            Assert.True(forms.TryGetValue("uz-Cyrl", out var cyrillic) && !Latin(cyrillic), $"{what}: uz-Cyrl form \"{cyrillic}\"");
            // Russian is written with Russian letters: Самарканд, not the Uzbek Cyrillic Самарқанд.
            Assert.True(forms.TryGetValue("ru", out var ru) && !Latin(ru) && ru.IndexOfAny(['қ', 'ў', 'ғ', 'ҳ', 'Қ', 'Ў', 'Ғ', 'Ҳ']) < 0, $"{what}: ru form \"{ru}\"");
        }
        var samarkand = Demo.Contests.Single(c => c.Id == DemoElectionGenerator.LegislativeContestId).Constituencies
            .First(k => k.Name["uz"].StartsWith("Samarqand saylov okrugi", StringComparison.Ordinal));
        Assert.Equal($"Избирательный округ № {samarkand.Id} (Самарканд)", samarkand.Name["ru"]);
        Assert.Equal($"Самарқанд сайлов округи №{samarkand.Id}", samarkand.Name["uz-Cyrl"]);
        Assert.Contains(Demo.Stations, s => s.AddressForms!["ru"].StartsWith("Ташкент", StringComparison.Ordinal) || s.AddressForms["ru"].Contains("улица Амира Темура", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Karimov Akmal Bahodirovich", "Каримов Акмал Баходирович")]
    [InlineData("Joʻrayeva Dilnoza Mirzoyevna", "Джураева Дилноза Мирзоевна")]
    [InlineData("Yoʻldoshev Ulugʻbek Toshmatovich", "Юлдашев Улугбек Тошматович")]
    public void RussianFormsOfPersonalNames(string uzbek, string russian) => Assert.Equal(russian, RussianForms.Person(uzbek));

    [Theory]
    [InlineData("Samarqand", "Самарканд")]
    [InlineData("Toshkent", "Ташкент")]
    [InlineData("Buxoro", "Бухара")]
    [InlineData("Fargʻona", "Фергана")]
    [InlineData("Andijon", "Андижан")]
    [InlineData("Sirdaryo", "Сырдарья")]
    [InlineData("Navoiy", "Навои")]
    public void RussianFormsOfPlaces(string uzbek, string russian) => Assert.Equal(russian, RussianForms.Place(uzbek));

    [Fact]
    public void ForeignNamesKeepTheirLatinSpellingInCyrillicText() =>
        Assert.Equal("Euronews ва «E-Saylov» ахборот тизими", UzbekTransliteration.ToCyrillic("Euronews va «E-Saylov» axborot tizimi", ["Euronews", "E-Saylov"]));

    [Theory]
    [InlineData("Mirziyoyev", "Мирзиёев")]
    [InlineData("O'zbekiston", "Ўзбекистон")]
    [InlineData("Oʻzbekiston", "Ўзбекистон")]
    [InlineData("Ellikqalʼa", "Элликқалъа")]
    [InlineData("G'ayrat", "Ғайрат")]
    [InlineData("Shahnoza Qodirova", "Шаҳноза Қодирова")]
    [InlineData("Ergashev", "Эргашев")]
    [InlineData("Yoʻldoshev", "Йўлдошев")]
    public void TransliteratesUzbekLatinToCyrillic(string latin, string cyrillic) =>
        Assert.Equal(cyrillic, UzbekTransliteration.ToCyrillic(latin));

    private static string Serialize(ElectionDefinition e) => JsonSerializer.Serialize(e, ElectionDefinitionLoader.JsonOptions);
}
