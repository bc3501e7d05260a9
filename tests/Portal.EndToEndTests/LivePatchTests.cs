using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Portal.EndToEndTests;

/// <summary>
/// Live updates patch the pages from the hub's state (issue 16 point 6): a new report changes a region's, a constituency's
/// and a station's figures, chart and station rows without any request for the page, and the patched sections read as a
/// fresh server render (a page loaded without JavaScript) does.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class LivePatchTests(PortalFixture portal)
{
    private static readonly CultureInfo Uz = CultureInfo.GetCultureInfo("uz-Latn");

    [Fact]
    public async Task ATurnoutReportPatchesRegionConstituencyAndStationPagesWithoutFetchingThem()
    {
        // The last station: the other tests of the collection report for the first ones.
        var station = portal.Election.GetProperty("stations").EnumerateArray().Last(s => s.GetProperty("id").GetString() != PortalFixture.CameraStation);
        var stationId = station.GetProperty("id").GetString()!;
        var regionId = station.GetProperty("regionId").GetString()!;
        var constituencyId = station.GetProperty("constituencies").GetProperty("legislative").GetString()!;
        var onList = station.GetProperty("votersOnList").GetInt32();

        var region = await LivePages.OpenAsync(portal, $"/regions/{regionId}");
        var constituency = await LivePages.OpenAsync(portal, $"/contests/legislative/constituencies/{constituencyId}");
        var stationPage = await LivePages.OpenAsync(portal, $"/stations/{stationId}");
        var home = await LivePages.OpenAsync(portal, "/");
        var stationDots = await stationPage.Page.Locator("[data-patch=station-chart] circle.dot").CountAsync();

        var election = JsonDocument.Parse(await portal.Http.GetStringAsync($"/api/v1/elections/{portal.ElectionId}")).RootElement;
        var asOf = election.GetProperty("electionTime").GetDateTimeOffset();
        var issued = Math.Max(1, onList * 41 / 100) + 7;
        var response = await portal.Stations.PostTurnoutAsync(stationId, new { submissionId = Guid.NewGuid().ToString(), asOf, votersIssuedBallots = issued, votersOnList = onList });
        Assert.True(response.IsSuccessStatusCode, $"the station API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

        var percent = ((double)issued / onList).ToString("P1", Uz);
        var row = $"tr[data-station='{stationId}'] [data-field=turnout]";
        await LivePages.WaitForTextAsync(region.Page, row, percent);
        await LivePages.WaitForTextAsync(constituency.Page, row, percent);
        await LivePages.WaitForTextAsync(stationPage.Page, "[data-testid=station-issued]", issued.ToString("N0", Uz));
        await LivePages.WaitForTextAsync(stationPage.Page, "[data-patch=station-chart] .chart-data tbody tr:last-child td.num", percent);
        Assert.Equal(stationDots == 0 ? 2 : stationDots + 1, await stationPage.Page.Locator("[data-patch=station-chart] circle.dot").CountAsync());

        // What a fresh server render shows (no script, so nothing patches it), once its two-second page cache has the report.
        var fresh = await LivePages.ServerRenderAsync(portal);
        var server = await fresh.NewPageAsync();
        await LivePages.SameAsServerAsync(region.Page, server, ".turnout-now", "[data-patch=region-stations]", "[data-patch=region-constituencies]");
        await LivePages.SameChartAsServerAsync(region.Page, server, "[data-patch=region-chart]");
        await LivePages.SameAsServerAsync(constituency.Page, server, "[data-patch=constituency-stations]", "[data-patch=constituency-results]");
        await LivePages.SameChartAsServerAsync(constituency.Page, server, "[data-patch=constituency-chart]");
        await LivePages.SameAsServerAsync(stationPage.Page, server, "[data-patch=station-chart] .chart-data");
        await LivePages.SameAsServerAsync(home.Page, server, ".turnout-now", "[data-patch=region-tiles]");
        await LivePages.SameChartAsServerAsync(home.Page, server, "[data-patch=national-chart]");

        LivePages.AssertNothingFetched(region, constituency, stationPage, home);
        await PortalFixture.ScreenshotAsync(region.Page, "region-patched");
        await fresh.CloseAsync();
    }
}

/// <summary>Pages followed live, the requests they make after loading, and their sections compared with a fresh server render.</summary>
internal static class LivePages
{
    /// <summary>A page with its live connection up (and the subscription's first state applied), then every request it makes.</summary>
    public static async Task<LivePage> OpenAsync(PortalFixture portal, string path)
    {
        var page = await portal.NewPageAsync();
        await page.GotoAsync(path);
        await page.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'", null, new() { Timeout = 30_000 });
        var live = new LivePage(page);
        var own = page.Url.Split('#')[0];
        page.Request += (_, request) =>
        {
            var url = request.Url.Split('#')[0];
            lock (live)
            {
                if (url == own) live.PageRequests.Add($"{request.ResourceType} {url}");
                else if (!new Uri(url).AbsolutePath.StartsWith("/hubs/", StringComparison.Ordinal)) live.OtherRequests.Add($"{request.ResourceType} {url}");
            }
        };
        return live;
    }

    public static Task WaitForTextAsync(IPage page, string selector, string expected) =>
        Wait.UntilAsync(async () => (await page.Locator(selector).First.TextContentAsync())?.Trim() == expected,
            $"{selector} to read {expected} on {page.Url}");

    private static Task<string> TextAsync(IPage page, string selector) =>
        page.Locator(selector).EvaluateAsync<string>("e => e.textContent.replace(/\\s+/g, ' ').trim()");

    public static async Task SameAsServerAsync(IPage live, IPage server, params string[] selectors)
    {
        var patched = new List<string>();
        foreach (var s in selectors) patched.Add(await TextAsync(live, s));
        var rendered = new List<string>();
        await Wait.UntilAsync(async () =>
        {
            await server.GotoAsync(live.Url);
            rendered.Clear();
            foreach (var s in selectors) rendered.Add(await TextAsync(server, s));
            return rendered.SequenceEqual(patched);
        }, $"a fresh render of {live.Url} to read as the patched page", details: () =>
            string.Join("\n", selectors.Select((s, i) => $"{s}:\n  patched: {patched[i]}\n  fresh:   {(i < rendered.Count ? rendered[i] : "")}")));
    }

    /// <summary>
    /// A region's or constituency's curve: every point but the newest (now) as the server has it, the newest at the same
    /// turnout. A full hour of the accelerated day may pass before the fresh render, which then has one hourly point more.
    /// </summary>
    public static async Task SameChartAsServerAsync(IPage live, IPage server, string chart)
    {
        var patched = await ChartRowsAsync(live, chart);
        Assert.NotEmpty(patched);
        List<(string Time, string Percent)> rendered = [];
        await Wait.UntilAsync(async () =>
        {
            await server.GotoAsync(live.Url);
            rendered = await ChartRowsAsync(server, chart);
            return rendered.Count >= patched.Count && rendered[^1].Percent == patched[^1].Percent
                && rendered.Take(patched.Count - 1).SequenceEqual(patched.Take(patched.Count - 1));
        }, $"the curve of {live.Url} to be the server's", details: () => $"patched: {string.Join(" ", patched)}\nfresh:   {string.Join(" ", rendered)}");
        // The drawn line has a vertex per point.
        var vertices = await live.Locator($"{chart} polyline.line").GetAttributeAsync("points");
        Assert.Equal(patched.Count, vertices!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    private static async Task<List<(string Time, string Percent)>> ChartRowsAsync(IPage page, string chart)
    {
        var cells = await page.Locator($"{chart} .chart-data tbody tr").EvaluateAllAsync<string[][]>(
            "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))");
        return [.. cells.Select(c => (c[0], c[1]))];
    }

    public sealed record LivePage(IPage Page)
    {
        public List<string> PageRequests { get; } = [];
        public List<string> OtherRequests { get; } = [];
    }

    /// <summary>A browser context without JavaScript: what the server renders, with nothing patching it.</summary>
    public static Task<IBrowserContext> ServerRenderAsync(PortalFixture portal) =>
        portal.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = portal.Portal.BaseAddress.ToString(), JavaScriptEnabled = false });

    /// <summary>No request for the page itself, and none but the hub's, since it loaded.</summary>
    public static void AssertNothingFetched(params LivePage[] pages)
    {
        foreach (var live in pages)
        {
            Assert.True(live.PageRequests.Count == 0, $"{live.Page.Url} was fetched again: {string.Join(", ", live.PageRequests)}");
            Assert.True(live.OtherRequests.Count == 0, $"{live.Page.Url} made requests besides the hub: {string.Join(", ", live.OtherRequests)}");
        }
    }
}
