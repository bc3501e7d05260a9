using Microsoft.Playwright;
using Portal.Ingest.Simulation;

namespace Portal.EndToEndTests;

/// <summary>The demo day at real speed from 19:58: a page opened under the embargo, left open while polls close.</summary>
public sealed class AcrossCloseFixture : PortalFixture
{
    protected override string StartAt => "19:58";
    protected override int CameraStations => 0;

    // 13 election hours in 780 real minutes: the election clock runs at real speed, so polls close two minutes after
    // the start, with room for the start and the page to load before.
    protected override IEnumerable<string> ExtraArguments => ["--Demo:DayMinutes", "780"];
}

/// <summary>
/// Election night as a visitor has it: the constituency page open since before 20:00 shows the embargo; once polls close
/// and a protocol arrives, the page shows the results without the visitor doing anything.
/// </summary>
public sealed class ResultsAtCloseTests(AcrossCloseFixture portal) : IClassFixture<AcrossCloseFixture>
{
    [Fact]
    public async Task APageOpenAcrossTheCloseShowsTheResultsWhenTheFirstProtocolArrives()
    {
        var election = portal.Election;
        var station = election.GetProperty("stations").EnumerateArray().First();
        var constituencyId = station.GetProperty("constituencies").GetProperty("legislative").GetString()!;
        var candidates = portal.Candidates("legislative", constituencyId);

        var page = await portal.NewPageAsync();
        await page.GotoAsync($"/contests/legislative/constituencies/{constituencyId}");
        var embargo = page.Locator("[data-testid=embargo]");
        Assert.True(await embargo.CountAsync() > 0,
            $"the page was opened after polls closed (the portal took {(DateTimeOffset.UtcNow - portal.StartedAt).TotalSeconds:F0} s to start and load): the test needs it before");
        await page.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'", null, new() { Timeout = 30_000 });

        // Protocols are accepted from 20:00 (the station API refuses them before): post as soon as it takes one.
        var body = ProtocolFactory.Protocol(new Random(3), Guid.NewGuid().ToString(), "legislative", station.GetProperty("votersOnList").GetInt32(), 0.7, candidates);
        var status = 0;
        var response = "";
        await Wait.UntilAsync(async () =>
        {
            using var posted = await portal.Stations.PostProtocolAsync(station.GetProperty("id").GetString()!, body);
            (status, response) = ((int)posted.StatusCode, await posted.Content.ReadAsStringAsync());
            return posted.IsSuccessStatusCode;
        }, "the station API to accept a protocol after 20:00", TimeSpan.FromMinutes(3), () => $"{status} {response}", TimeSpan.FromSeconds(1));

        // The open page shows the results: bars with the protocol's votes, no embargo notice.
        await Assertions.Expect(page.Locator("[data-testid=results-bars] li")).ToHaveCountAsync(candidates.Count, new() { Timeout = 30_000 });
        await Assertions.Expect(embargo).ToHaveCountAsync(0);
        var votes = (Dictionary<string, int>)body["candidateVotes"]!;
        var leader = votes.MaxBy(v => v.Value).Key;
        var shown = await page.Locator($"[data-testid=results-bars] li[data-candidate='{leader}'] .votes").TextContentAsync();
        Assert.Equal(votes[leader], int.Parse(new string(shown!.Where(char.IsDigit).ToArray()), System.Globalization.CultureInfo.InvariantCulture));
        await PortalFixture.ScreenshotAsync(page, "results-at-close-constituency");
    }
}
