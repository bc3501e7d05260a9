using System.Globalization;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Shared;
using Portal.Grains.Model;
using Portal.Ingest.Decisions;
using Portal.Localization;
using Portal.Tests.Live;

namespace Portal.Tests.Sharing;

/// <summary>
/// Every public page type carries a description and OpenGraph meta in the page's language: what a link preview shows.
/// A station's preview names the station and its published turnout; a decision's is its title.
/// </summary>
public sealed class PageMetaTests(LiveHostFactory factory) : IClassFixture<LiveHostFactory>
{
    private static readonly HtmlParser Parser = new();

    private sealed record Meta(string Title, string? Description, string? OgTitle, string? OgDescription, string? OgLocale, string? OgSiteName);

    private async Task<Meta> MetaOfAsync(string path, string lang)
    {
        var response = await factory.CreateClient().GetAsync(path + (path.Contains('?') ? "&" : "?") + "lang=" + lang);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        var document = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        string? Content(string selector) => document.Head!.QuerySelectorAll(selector).SingleOrDefault()?.GetAttribute("content");
        Assert.Single(document.Head!.QuerySelectorAll("meta[name=description]"));
        return new Meta(document.Title ?? "", Content("meta[name=description]"), Content("meta[property='og:title']"),
            Content("meta[property='og:description']"), Content("meta[property='og:locale']"), Content("meta[property='og:site_name']"));
    }

    private async Task<IReadOnlyList<string>> PathsAsync()
    {
        var catalog = factory.Services.GetRequiredService<ElectionCatalog>();
        var station = catalog.Election.Stations[0];
        var contest = catalog.Election.Contests[0];
        var decisions = await factory.Services.GetRequiredService<IDecisionArchive>().ListAsync(CancellationToken.None);
        Assert.NotEmpty(decisions);
        return ["/", $"/regions/{station.RegionId}", $"/contests/{contest.Id}/constituencies/{station.Constituencies[contest.Id]}",
            $"/stations/{station.Id}", "/search?q=uchastka+5", "/data", "/about", "/statistics", $"/decisions/{Uri.EscapeDataString(decisions[0].Id)}",
            "/watch", "/cameras", "/count"];
    }

    [Theory]
    [InlineData("uz", "uz_UZ")]
    [InlineData("uz-Cyrl", "uz_UZ")]
    [InlineData("ru", "ru_RU")]
    [InlineData("en", "en_US")]
    public async Task EveryPageTypeHasADescriptionAndOpenGraphMetaInThePagesLanguage(string lang, string ogLocale)
    {
        foreach (var path in await PathsAsync())
        {
            var meta = await MetaOfAsync(path, lang);
            foreach (var (name, value) in new[] { ("title", meta.Title), ("description", meta.Description), ("og:title", meta.OgTitle),
                         ("og:description", meta.OgDescription), ("og:site_name", meta.OgSiteName) })
                Assert.False(string.IsNullOrWhiteSpace(value), $"{path}?lang={lang}: no {name}");
            Assert.Equal(meta.Description, meta.OgDescription);
            Assert.Equal(ogLocale, meta.OgLocale);
            Assert.StartsWith(meta.OgTitle!, meta.Title);
            // The preview is in the page's script: Cyrillic on Russian and Uzbek Cyrillic pages, none on Latin ones.
            var cyrillic = meta.Description!.Any(c => c is >= '\u0400' and <= '\u04FF');
            Assert.True(cyrillic == lang is "ru" or "uz-Cyrl", $"{path}?lang={lang}: description in the wrong script: {meta.Description}");
        }
    }

    [Fact]
    public async Task AStationSharesItsNameAndPublishedTurnout()
    {
        var catalog = factory.Services.GetRequiredService<ElectionCatalog>();
        var station = catalog.Election.Stations[7];
        var response = await factory.Stations().PostTurnoutAsync(station.Id,
            new { submissionId = Guid.NewGuid().ToString(), asOf = DateTimeOffset.UtcNow, votersIssuedBallots = 321, votersOnList = 1000 });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var en = CultureInfo.GetCultureInfo("en");
        var percent = (0.321).ToString("P1", en);
        Meta meta = null!;
        // Pages are output-cached for a moment: wait for one rendered after the report.
        await Wait.UntilAsync(async () => (meta = await MetaOfAsync($"/stations/{station.Id}", "en")).Description!.Contains(percent),
            $"the station's description to carry {percent}", TimeSpan.FromSeconds(30));
        Assert.Equal($"Polling station No. {station.Number}", meta.OgTitle);
        Assert.StartsWith($"Polling station No. {station.Number}, ", meta.Description);
        var ru = await MetaOfAsync($"/stations/{station.Id}", "ru");
        Assert.Contains((0.321).ToString("P1", CultureInfo.GetCultureInfo("ru")), ru.Description);
        Assert.Contains(station.Number.ToString(CultureInfo.InvariantCulture), ru.OgTitle);
    }

    [Fact]
    public async Task ADecisionSharesItsTitle()
    {
        var decision = (await factory.Services.GetRequiredService<IDecisionArchive>().ListAsync(CancellationToken.None))[0];
        foreach (var (lang, culture) in PortalCultures.All.Select(c => (c.Code, c.Culture)))
        {
            var meta = await MetaOfAsync($"/decisions/{Uri.EscapeDataString(decision.Id)}", lang);
            Assert.Equal(Names.Text(decision.Title, CultureInfo.GetCultureInfo(culture)).Text, meta.OgTitle);
            Assert.Contains(decision.Number, meta.Description);
        }
    }
}
