using System.Globalization;
using System.Resources;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.Ingest.Decisions;
using Portal.Localization;
using Portal.Tests.Live;

namespace Portal.Tests.Localization;

/// <summary>
/// Names, addresses and texts in the page's language and script: Russian forms on Russian pages (never Uzbek Cyrillic
/// letters or Latin Uzbek), Cyrillic on Uzbek Cyrillic pages, foreign names left in Latin, a decision in another
/// language marked as such, one apostrophe style in Uzbek Latin.
/// </summary>
public sealed class LanguageCareTests(LiveHostFactory factory) : IClassFixture<LiveHostFactory>
{
    private static readonly HtmlParser Parser = new();
    private static readonly char[] UzbekOnlyCyrillic = ['қ', 'ў', 'ғ', 'ҳ', 'Қ', 'Ў', 'Ғ', 'Ҳ'];

    private ElectionCatalog Catalog => factory.Services.GetRequiredService<ElectionCatalog>();

    private async Task<IDocument> PageAsync(string path, string lang)
    {
        var response = await factory.CreateClient().GetAsync(path + (path.Contains('?') ? "&" : "?") + "lang=" + lang);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        return Parser.ParseDocument(await response.Content.ReadAsStringAsync());
    }

    private static bool HasLatin(string s) => s.Any(c => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z');

    private (ConstituencyDefinition Constituency, StationDefinition Station) AConstituencyWithAStation()
    {
        var station = Catalog.Election.Stations[0];
        var constituency = Catalog.FindConstituency(DemoElectionGenerator.LegislativeContestId, station.Constituencies[DemoElectionGenerator.LegislativeContestId])!;
        return (constituency, station);
    }

    [Fact]
    public async Task ARussianConstituencyPageNamesEverythingInRussian()
    {
        var (constituency, station) = AConstituencyWithAStation();
        var region = Catalog.Election.Regions.Single(r => r.Id == constituency.RegionId);
        var page = await PageAsync($"/contests/{DemoElectionGenerator.LegislativeContestId}/constituencies/{constituency.Id}", "ru");

        var heading = page.QuerySelector("h1")!.TextContent;
        Assert.Contains(constituency.Name["ru"], heading);
        Assert.StartsWith("Избирательный округ №", constituency.Name["ru"]);
        Assert.Equal(region.Name["ru"], page.QuerySelector("nav.breadcrumbs a[href^='/regions/']")!.TextContent);
        foreach (var candidate in constituency.Candidates)
            Assert.Contains(candidate.NameForms!["ru"], page.QuerySelector($"[data-candidate='{candidate.Id}']")!.TextContent);
        var names = string.Join(" ", page.QuerySelectorAll("h1, nav.breadcrumbs, [data-candidate], #stations td").Select(e => e.TextContent));
        Assert.True(names.IndexOfAny(UzbekOnlyCyrillic) < 0, $"Uzbek Cyrillic letters on a Russian page: {names}");
        Assert.Contains(station.AddressForms!["ru"], page.QuerySelector("#stations")!.TextContent);
        Assert.DoesNotContain(station.Address, page.QuerySelector("#stations")!.TextContent);
    }

    [Fact]
    public async Task NoPublicPageInRussianHasUzbekCyrillicOrLatinUzbekNames()
    {
        var (constituency, station) = AConstituencyWithAStation();
        string[] paths = ["/", $"/regions/{station.RegionId}", $"/contests/{DemoElectionGenerator.LegislativeContestId}/constituencies/{constituency.Id}",
            $"/stations/{station.Id}", "/statistics", "/cameras", $"/watch?stations={station.Id}", $"/embed/stations/{station.Id}",
            $"/embed/contests/{DemoElectionGenerator.LegislativeContestId}/constituencies/{constituency.Id}"];
        foreach (var path in paths)
        {
            var page = await PageAsync(path, "ru");
            // What is marked as another language (the language switch's own labels) is not the page's text.
            foreach (var marked in page.Body!.QuerySelectorAll("[lang]").ToList()) marked.Remove();
            foreach (var hidden in page.Body.QuerySelectorAll("script, [hidden]").ToList()) hidden.Remove();
            var text = page.Body.TextContent;
            Assert.True(text.IndexOfAny(UzbekOnlyCyrillic) < 0, $"{path}?lang=ru: Uzbek Cyrillic letters in \"{Around(text, text.IndexOfAny(UzbekOnlyCyrillic))}\"");
            Assert.DoesNotContain(station.Address, text);
            Assert.DoesNotContain(constituency.Candidates[0].Name, text);
        }
    }

    private static string Around(string text, int at) => at < 0 ? "" : text.Substring(Math.Max(0, at - 40), Math.Min(80, text.Length - Math.Max(0, at - 40)));

    [Fact]
    public async Task AnUzbekCyrillicConstituencyPageNamesEverythingInCyrillic()
    {
        var (constituency, station) = AConstituencyWithAStation();
        var page = await PageAsync($"/contests/{DemoElectionGenerator.LegislativeContestId}/constituencies/{constituency.Id}", "uz-Cyrl");

        Assert.Contains(constituency.Name["uz-Cyrl"], page.QuerySelector("h1")!.TextContent);
        foreach (var candidate in constituency.Candidates)
        {
            var shown = page.QuerySelector($"[data-candidate='{candidate.Id}']")!.TextContent;
            Assert.Contains(candidate.NameForms!["uz-Cyrl"], shown);
            Assert.False(HasLatin(shown), $"Latin on an Uzbek Cyrillic page: {shown}");
        }
        Assert.Contains(station.AddressForms!["uz-Cyrl"], page.QuerySelector("#stations")!.TextContent);
    }

    [Fact]
    public async Task AStationPageShowsTheAddressInThePagesScriptAndOneWordingOfItsNumber()
    {
        var station = Catalog.Election.Stations[0];
        var ru = await PageAsync($"/stations/{station.Id}", "ru");
        Assert.Contains(station.AddressForms!["ru"], ru.Body!.TextContent);
        Assert.Contains($"Избирательный участок № {station.Number}", ru.QuerySelector("h1")!.TextContent);
        var uz = await PageAsync($"/stations/{station.Id}", "uz");
        Assert.Contains($"{station.Number}-son saylov uchastkasi", uz.QuerySelector("h1")!.TextContent);
        var cyrl = await PageAsync($"/stations/{station.Id}", "uz-Cyrl");
        Assert.Contains($"{station.Number}-сон сайлов участкаси", cyrl.QuerySelector("h1")!.TextContent);
        Assert.Contains(station.AddressForms["uz-Cyrl"], cyrl.Body!.TextContent);
    }

    [Theory]
    [InlineData("uz")]
    [InlineData("uz-Cyrl")]
    [InlineData("ru")]
    [InlineData("en")]
    public async Task ASearchHitNamesAStationAsItsPageDoes(string lang)
    {
        // The index words its station titles itself (it has no resources): it must say what the page's heading says.
        var station = Catalog.Election.Stations[3];
        var heading = (await PageAsync($"/stations/{station.Id}", lang)).QuerySelector("h1")!.TextContent.Trim();
        string? title = null;
        await Wait.UntilAsync(async () =>
        {
            var results = await PageAsync($"/search?q={station.Number}&type=station", lang);
            title = results.QuerySelector($".search-hit a[href='/stations/{station.Id}']")?.TextContent.Trim();
            return title is not null;
        }, $"a search hit for station {station.Number}", TimeSpan.FromSeconds(60));
        Assert.Equal(heading, title);
    }

    [Fact]
    public async Task ADecisionInAnotherLanguageIsMarkedWithItsLanguage()
    {
        var decisions = await factory.Services.GetRequiredService<IDecisionArchive>().ListAsync(CancellationToken.None);
        var uzbekOnly = decisions.First(d => !d.Body.ContainsKey("en"));
        var page = await PageAsync($"/decisions/{Uri.EscapeDataString(uzbekOnly.Id)}", "en");
        var text = page.QuerySelector("[data-testid=decision-text]")!;
        Assert.Equal("uz-Latn", text.GetAttribute("lang"));
        Assert.Contains(uzbekOnly.Body["uz"].Split('\n')[0].Trim(), text.TextContent);
        Assert.Equal("This text is in Uzbek (Latin script)", page.QuerySelector("[data-testid=text-language]")!.TextContent.Trim());
        Assert.Equal("uz-Latn", page.QuerySelector("article.decision h1")!.GetAttribute("lang"));

        // In a language it has: no mark, no note.
        var russian = await PageAsync($"/decisions/{Uri.EscapeDataString(uzbekOnly.Id)}", "ru");
        Assert.Null(russian.QuerySelector("[data-testid=decision-text]")!.GetAttribute("lang"));
        Assert.Null(russian.QuerySelector("[data-testid=text-language]"));
    }

    [Fact]
    public async Task ForeignNamesStayLatinInCyrillicText()
    {
        var decisions = await factory.Services.GetRequiredService<IDecisionArchive>().ListAsync(CancellationToken.None);
        var media = decisions.First(d => d.Body["uz"].Contains("Euronews", StringComparison.Ordinal));
        Assert.Contains("— Euronews:", media.Body["uz-Cyrl"]);
        var page = await PageAsync($"/decisions/{Uri.EscapeDataString(media.Id)}", "uz-Cyrl");
        var text = page.QuerySelector("[data-testid=decision-text]")!.TextContent;
        Assert.Contains("Euronews", text);
        Assert.Contains("«E-Saylov»", text);
        Assert.DoesNotContain("Эуронеwс", text);
        Assert.Null(page.QuerySelector("[data-testid=text-language]"));
    }

    [Fact]
    public void UzbekLatinResourcesUseTheModifierLetterApostrophesOnly()
    {
        var resources = new ResourceManager("Portal.Localization.Strings", typeof(Strings).Assembly);
        var set = resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: false)!;
        var texts = set.Cast<System.Collections.DictionaryEntry>().Select(e => ((string)e.Key, (string)e.Value!)).ToList();
        Assert.NotEmpty(texts);
        foreach (var (key, value) in texts)
            Assert.True(value.IndexOfAny(['\'', '\u2018', '\u2019', '`']) < 0, $"{key}: \"{value}\"");
    }
}
