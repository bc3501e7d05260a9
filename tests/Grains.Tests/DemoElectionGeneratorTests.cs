using System.Text.Json;
using Portal.Grains.Demo;
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

    [Theory]
    [InlineData("Mirziyoyev", "Мирзиёев")]
    [InlineData("O'zbekiston", "Ўзбекистон")]
    [InlineData("G'ayrat", "Ғайрат")]
    [InlineData("Shahnoza Qodirova", "Шаҳноза Қодирова")]
    [InlineData("Ergashev", "Эргашев")]
    public void TransliteratesUzbekLatinToCyrillic(string latin, string cyrillic) =>
        Assert.Equal(cyrillic, UzbekTransliteration.ToCyrillic(latin));

    private static string Serialize(ElectionDefinition e) => JsonSerializer.Serialize(e, ElectionDefinitionLoader.JsonOptions);
}
