using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Ingest.Simulation;

namespace Portal.EndToEndTests;

/// <summary>After polls close: protocols sent through the station API show up as results, outcome and a version diff.</summary>
public sealed class ResultsAfterCloseTests(AfterCloseFixture portal) : IClassFixture<AfterCloseFixture>
{
    private static readonly CultureInfo Uz = CultureInfo.GetCultureInfo("uz-Latn");

    [Fact]
    public async Task ProtocolsBecomeResultsBarsAnOutcomeAndAVisibleCorrection()
    {
        var election = portal.Election;
        var stations = election.GetProperty("stations").EnumerateArray().ToList();
        // The constituency with the most stations in this small election.
        var constituencyId = stations.GroupBy(s => s.GetProperty("constituencies").GetProperty("legislative").GetString()!)
            .OrderByDescending(g => g.Count()).First().Key;
        var candidates = portal.Candidates("legislative", constituencyId);
        var members = stations.Where(s => s.GetProperty("constituencies").GetProperty("legislative").GetString() == constituencyId).ToList();

        var random = new Random(7);
        var totals = candidates.ToDictionary(c => c.Id, _ => 0L);
        Dictionary<string, object?>? first = null;
        foreach (var station in members)
        {
            var body = ProtocolFactory.Protocol(random, Guid.NewGuid().ToString(), "legislative", station.GetProperty("votersOnList").GetInt32(), 0.7, candidates);
            var response = await portal.Stations.PostProtocolAsync(station.GetProperty("id").GetString()!, body);
            Assert.True(response.IsSuccessStatusCode, $"protocol refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            first ??= body;
            foreach (var (id, v) in (Dictionary<string, int>)body["candidateVotes"]!) totals[id] += v;
        }

        // A correction of the first station: one vote moves from the first candidate to the second.
        var firstStation = members[0].GetProperty("id").GetString()!;
        var votes = new Dictionary<string, int>((Dictionary<string, int>)first!["candidateVotes"]!);
        var (a, b) = (candidates[0].Id, candidates[1].Id);
        if (votes[a] == 0) (a, b) = (b, a);
        votes[a]--; votes[b]++;
        totals[a]--; totals[b]++;
        var correction = new Dictionary<string, object?>(first)
        {
            ["submissionId"] = Guid.NewGuid().ToString(), ["candidateVotes"] = votes, ["supersedes"] = first["submissionId"], ["reason"] = "Recount of one ballot",
        };
        var corrected = await portal.Stations.PostProtocolAsync(firstStation, correction);
        Assert.True(corrected.IsSuccessStatusCode, $"correction refused: {(int)corrected.StatusCode} {await corrected.Content.ReadAsStringAsync()}");

        var page = await portal.NewPageAsync();
        await page.GotoAsync($"/contests/legislative/constituencies/{constituencyId}");
        // Pages are output-cached for two seconds; the live hub refreshes the section, a reload is the fallback.
        await PortalFixture.UntilPageShowsAsync(page, async () => await page.Locator($"[data-testid=results-bars] li[data-candidate='{a}'] .votes").CountAsync() == 1
            && await page.Locator($"[data-testid=results-bars] li[data-candidate='{a}'] .votes").TextContentAsync() == totals[a].ToString("N0", Uz),
            "the constituency page to show the corrected totals");
        foreach (var (id, total) in totals)
            Assert.Equal(total.ToString("N0", Uz), (await page.Locator($"[data-testid=results-bars] li[data-candidate='{id}'] .votes").TextContentAsync())?.Trim());
        await Assertions.Expect(page.Locator("[data-testid=outcome]")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-testid=embargo]").CountAsync());
        await PortalFixture.ScreenshotAsync(page, "results-constituency");

        await page.GotoAsync($"/stations/{firstStation}");
        var versions = page.Locator("ol.protocol-versions[data-contest=legislative] li.protocol-version");
        await Assertions.Expect(versions).ToHaveCountAsync(2);
        var changes = versions.Nth(1).Locator("table.changes tbody tr");
        await Assertions.Expect(changes).ToHaveCountAsync(2);
        var changed = await changes.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.field)");
        Assert.Equal(new[] { a, b }.Order(StringComparer.Ordinal), changed.Order(StringComparer.Ordinal));
        await Assertions.Expect(versions.Nth(1).Locator(".reason")).ToHaveTextAsync("Recount of one ballot");
        await PortalFixture.ScreenshotAsync(page, "results-station-correction");

        // A second correction while the station page is open: the versions arrive without a reload, from the section's
        // own fragment (a few KB), never by fetching the whole page again.
        var open = await LivePages.OpenAsync(portal, $"/stations/{firstStation}");
        var openVersions = open.Page.Locator("ol.protocol-versions[data-contest=legislative] li.protocol-version");
        await Assertions.Expect(openVersions).ToHaveCountAsync(2);
        var again = new Dictionary<string, object?>(correction) { ["submissionId"] = Guid.NewGuid().ToString(), ["supersedes"] = correction["submissionId"] };
        var recounted = await portal.Stations.PostProtocolAsync(firstStation, again);
        Assert.True(recounted.IsSuccessStatusCode, $"second correction refused: {(int)recounted.StatusCode} {await recounted.Content.ReadAsStringAsync()}");
        await Assertions.Expect(openVersions).ToHaveCountAsync(3, new() { Timeout = 30_000 });
        lock (open)
        {
            Assert.True(open.PageRequests.Count == 0, $"the station page was fetched again: {string.Join(", ", open.PageRequests)}");
            // The camera player's video requests (/hls/...) aside, the only request is the fragment's.
            var others = open.OtherRequests.Where(r => !r.Contains("/hls/", StringComparison.Ordinal)).ToList();
            Assert.True(others.Count > 0 && others.All(r => r.Contains($"/stations/{firstStation}/protocols?lang=", StringComparison.Ordinal)),
                $"requests besides the hub and the video: {string.Join(", ", others)}");
        }
        await open.Page.CloseAsync();

        await page.GotoAsync("/");
        await PortalFixture.UntilPageShowsAsync(page, async () => await page.Locator("[data-contest-results=legislative] [data-testid=results-bars] li").CountAsync() > 0,
            "the home page to show the national results");
        await PortalFixture.ScreenshotAsync(page, "results-home");
    }

    [Fact]
    public async Task AProtocolPatchesTheOpenRegionConstituencyAndHomePagesWithoutFetchingThem()
    {
        var election = portal.Election;
        var stations = election.GetProperty("stations").EnumerateArray().ToList();
        // The second-largest constituency: the other test of this class sends protocols for the largest.
        var members = stations.GroupBy(s => s.GetProperty("constituencies").GetProperty("legislative").GetString()!)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Skip(1).First().ToList();
        var constituencyId = members[0].GetProperty("constituencies").GetProperty("legislative").GetString()!;
        var regionId = members[0].GetProperty("regionId").GetString()!;
        var candidates = portal.Candidates("legislative", constituencyId);

        var region = await LivePages.OpenAsync(portal, $"/regions/{regionId}");
        var constituency = await LivePages.OpenAsync(portal, $"/contests/legislative/constituencies/{constituencyId}");
        var home = await LivePages.OpenAsync(portal, "/");
        await Assertions.Expect(constituency.Page.Locator("[data-patch=constituency-results] [data-testid=results-bars] li")).ToHaveCountAsync(candidates.Count);

        var random = new Random(11);
        var totals = candidates.ToDictionary(c => c.Id, _ => 0L);
        foreach (var station in members.Take(2))
        {
            var body = ProtocolFactory.Protocol(random, Guid.NewGuid().ToString(), "legislative", station.GetProperty("votersOnList").GetInt32(), 0.6, candidates);
            var response = await portal.Stations.PostProtocolAsync(station.GetProperty("id").GetString()!, body);
            Assert.True(response.IsSuccessStatusCode, $"protocol refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            foreach (var (id, v) in (Dictionary<string, int>)body["candidateVotes"]!) totals[id] += v;
        }

        // The bars: each candidate's votes, most votes first.
        foreach (var (id, total) in totals)
            await LivePages.WaitForTextAsync(constituency.Page, $"[data-testid=results-bars] li[data-candidate='{id}'] .votes", total.ToString("N0", Uz));
        var order = await constituency.Page.Locator("[data-testid=results-bars] li").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.candidate)");
        Assert.Equal(totals.OrderByDescending(t => t.Value).Select(t => t.Value), order.Select(id => totals[id]));
        // The region's row for the constituency and the station rows.
        var reported = members.Take(2).Select(m => m.GetProperty("id").GetString()!).ToList();
        foreach (var id in reported)
            await LivePages.WaitForTextAsync(region.Page, $"tr[data-station='{id}'] [data-field=status]", "Bayonnoma kelib tushdi");

        var fresh = await LivePages.ServerRenderAsync(portal);
        var server = await fresh.NewPageAsync();
        await LivePages.SameAsServerAsync(constituency.Page, server, "[data-patch=constituency-results]", "[data-patch=constituency-stations]");
        await LivePages.SameAsServerAsync(region.Page, server, "[data-patch=region-constituencies]", "[data-patch=region-stations]");
        await LivePages.SameAsServerAsync(home.Page, server, "[data-patch=national-results]");
        LivePages.AssertNothingFetched(region, constituency, home);
        await PortalFixture.ScreenshotAsync(constituency.Page, "results-constituency-patched");
        await fresh.CloseAsync();
    }
}
