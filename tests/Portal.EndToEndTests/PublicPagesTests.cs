using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace Portal.EndToEndTests;

/// <summary>A citizen's view of the running portal in Chromium: live video, rewind, live turnout, languages, the embargo.</summary>
[Collection(PortalCollection.Name)]
public sealed class PublicPagesTests(PortalFixture portal)
{
    private static readonly TimeZoneInfo Tashkent = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tashkent");

    [Fact]
    public async Task StationVideoPlaysLive()
    {
        await portal.WaitForLiveVideoAsync(TimeSpan.FromSeconds(90));
        var page = await portal.NewPageAsync();
        await page.GotoAsync($"/stations/{PortalFixture.CameraStation}");
        var video = page.Locator("video#camera-video");
        await Expect(video).ToHaveAttributeAsync("data-src", $"/hls/{PortalFixture.CameraId}/live.m3u8");

        var start = await WaitForPlaybackAsync(page, minimum: 0.1, TimeSpan.FromSeconds(45));
        var later = await WaitForPlaybackAsync(page, minimum: start + 2, TimeSpan.FromSeconds(30));
        Assert.True(later - start >= 2, $"currentTime went from {start} to {later}");
        Assert.False(await page.EvaluateAsync<bool>("() => document.querySelector('video').paused"));
        await PortalFixture.ScreenshotAsync(page, "station-live");
    }

    [Fact]
    public async Task RewindPlaysArchivedVideo()
    {
        await portal.WaitForLiveVideoAsync(TimeSpan.FromSeconds(90));
        // Let the archive hold some seconds to rewind into.
        await WaitForArchiveAsync(TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(90));
        var page = await portal.NewPageAsync();
        await page.GotoAsync($"/stations/{PortalFixture.CameraStation}");
        await WaitForPlaybackAsync(page, minimum: 0.1, TimeSpan.FromSeconds(45));

        // A moment the archive holds (a segment about 10 segments before its newest), not "10 s ago": the demo camera
        // may have been restarted in the last seconds on a busy machine, and a moment in that gap has nothing to rewind to.
        var archived = await portal.Http.GetStringAsync(
            $"/hls/{PortalFixture.CameraId}/archive.m3u8?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture))}");
        var starts = archived.Split('\n').Where(l => l.StartsWith("#EXT-X-PROGRAM-DATE-TIME:", StringComparison.Ordinal))
            .Select(l => DateTimeOffset.Parse(l["#EXT-X-PROGRAM-DATE-TIME:".Length..], CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(starts);
        // The rewind field takes election time (docs/video.md "One clock in the demo"): the fixture's day starts at 09:00
        // and runs 13 election hours in 60 real minutes, so the moment is that segment's real start on the election clock.
        var line = await page.EvaluateAsync<double[]>("() => ['clockSpeed', 'clockReal', 'clockElection'].map(k => Number(document.body.dataset[k]))");
        Assert.Equal(13, line[0]);
        var realAnchor = DateTimeOffset.FromUnixTimeMilliseconds((long)line[1]).AddTicks((long)((line[1] % 1) * TimeSpan.TicksPerMillisecond));
        var electionAnchor = DateTimeOffset.FromUnixTimeMilliseconds((long)line[2]);
        Assert.Equal(new TimeSpan(9, 0, 0), TimeZoneInfo.ConvertTime(electionAnchor, Tashkent).TimeOfDay);
        Assert.InRange(realAnchor, portal.StartedAt, DateTimeOffset.UtcNow);
        var real = starts[Math.Max(0, starts.Count - 10)];
        var election = TimeZoneInfo.ConvertTime(electionAnchor + (real - realAnchor) * 13, Tashkent);
        var moment = election.AddTicks(-(election.Ticks % TimeSpan.TicksPerSecond)); // what the field holds: whole seconds
        await page.Locator("input[name=at]").FillAsync(moment.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
        await page.Locator("[data-rewind-play]").ClickAsync();

        var video = page.Locator("video#camera-video");
        await Expect(video).ToHaveAttributeAsync("data-src", new System.Text.RegularExpressions.Regex("/archive\\.m3u8\\?from="));
        var src = await video.GetAttributeAsync("data-src");
        // The archive is asked from that election moment's real instant (the archive's program-date-time stays real).
        var from = DateTimeOffset.Parse(Uri.UnescapeDataString(src!.Split("from=")[1].Split('&')[0]), CultureInfo.InvariantCulture);
        var expectedFrom = realAnchor + (moment - electionAnchor) / 13;
        Assert.True(Math.Abs((from - expectedFrom).TotalMilliseconds) <= 1, $"rewinding to {moment:HH:mm:ss} asked the archive from {from:O}, not {expectedFrom:O}");
        Assert.InRange(from, real.AddSeconds(-1), real.AddMilliseconds(1));
        var playlist = await portal.Http.GetStringAsync(src);
        Assert.Contains("#EXT-X-ENDLIST", playlist);
        Assert.Contains("#EXT-X-PROGRAM-DATE-TIME", playlist);

        var start = await WaitForPlaybackAsync(page, minimum: 0.1, TimeSpan.FromSeconds(45));
        var later = await WaitForPlaybackAsync(page, minimum: start + 2, TimeSpan.FromSeconds(30));
        Assert.True(later - start >= 2, $"archived video currentTime went from {start} to {later}");
        await Expect(page.Locator("[data-player]")).ToHaveAttributeAsync("data-mode", "msgArchive");
        // The position shown while rewound is election time too: from about the moment asked for, advancing as it plays.
        var at = page.Locator("[data-player-at]");
        await Expect(at).ToBeVisibleAsync();
        var shown = DateTimeOffset.Parse((await at.GetAttributeAsync("datetime"))!, CultureInfo.InvariantCulture);
        Assert.InRange(shown, moment.AddSeconds(-30), moment.AddMinutes(5));
        await PortalFixture.ScreenshotAsync(page, "station-rewind");
    }

    [Fact]
    public async Task TurnoutReportAppearsOnTheOpenPageWithoutReload()
    {
        var station = portal.Election.GetProperty("stations").EnumerateArray().First(s => s.GetProperty("id").GetString() != PortalFixture.CameraStation);
        var stationId = station.GetProperty("id").GetString()!;
        var page = await portal.NewPageAsync();
        await page.GotoAsync($"/stations/{stationId}");
        // The page is connected and subscribed before the report is sent.
        await page.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'", null, new() { Timeout = 30_000 });
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

        var onList = station.GetProperty("votersOnList").GetInt32();
        var issued = Math.Max(1, onList * 37 / 100) + 3;
        var election = JsonDocument.Parse(await portal.Http.GetStringAsync($"/api/v1/elections/{portal.ElectionId}")).RootElement;
        var asOf = election.GetProperty("electionTime").GetDateTimeOffset();

        var response = await portal.Stations.PostTurnoutAsync(stationId, new { submissionId = Guid.NewGuid().ToString(), asOf, votersIssuedBallots = issued, votersOnList = onList });
        Assert.True(response.IsSuccessStatusCode, $"the station API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var sent = DateTime.UtcNow;

        // The live script formats with the server culture's separators: the figure reads exactly as a server-rendered one.
        var uz = CultureInfo.GetCultureInfo("uz-Latn");
        var expected = issued.ToString("N0", uz);
        await page.WaitForFunctionAsync(
            "expected => { const el = document.querySelector('[data-testid=station-issued]'); return el && el.textContent === expected; }",
            expected, new() { Timeout = 2_000 });
        var elapsed = DateTime.UtcNow - sent;
        Assert.Equal(0, navigations);
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"the report took {elapsed.TotalMilliseconds:0} ms to appear");
        Assert.Equal(((double)issued / onList).ToString("P1", uz), await page.Locator("[data-testid=station-turnout]").TextContentAsync());
        await PortalFixture.ScreenshotAsync(page, "station-turnout-live");
    }

    [Fact]
    public async Task CyrillicAndRussianSwitchTheWholeUi()
    {
        var page = await portal.NewPageAsync();
        await page.GotoAsync("/");
        Assert.Equal("uz-Latn", await page.Locator("html").GetAttributeAsync("lang"));
        await Expect(page.Locator(".site-footer")).ToContainTextAsync("Markaziy saylov komissiyasi");
        await PortalFixture.ScreenshotAsync(page, "home-uz-latn");

        await page.GetByRole(AriaRole.Link, new() { Name = "Ўзбекча" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "uz-Cyrl");
        await Expect(page.Locator(".site-footer")).ToContainTextAsync("Марказий сайлов комиссияси");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ҳозирги иштирок" })).ToBeVisibleAsync();
        await PortalFixture.ScreenshotAsync(page, "home-uz-cyrl");

        // The choice is remembered: another page, no ?lang=, still Cyrillic.
        await page.GotoAsync("/about");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "uz-Cyrl");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Портал ҳақида", Level = 1 })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Русский" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ru");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "О портале", Level = 1 })).ToBeVisibleAsync();
        await page.GotoAsync($"/stations/{PortalFixture.CameraStation}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Избирательный участок № 1", Level = 1 })).ToBeVisibleAsync();
        await PortalFixture.ScreenshotAsync(page, "station-ru");
    }

    [Fact]
    public async Task BeforePollsCloseNoPageShowsAResultFigure()
    {
        var election = JsonDocument.Parse(await portal.Http.GetStringAsync($"/api/v1/elections/{portal.ElectionId}")).RootElement;
        Assert.False(election.GetProperty("resultsPublic").GetBoolean(), "the test election must still be before polls close");
        var contest = portal.Election.GetProperty("contests")[0];
        var constituency = contest.GetProperty("constituencies")[0];
        var region = constituency.GetProperty("regionId").GetString();
        string[] paths = ["/", $"/regions/{region}", $"/contests/{contest.GetProperty("id").GetString()}/constituencies/{constituency.GetProperty("id").GetString()}",
            $"/stations/{PortalFixture.CameraStation}", "/data", "/statistics",
            $"/statistics/{contest.GetProperty("id").GetString()}/constituencies/{constituency.GetProperty("id").GetString()}"];
        var page = await portal.NewPageAsync();
        foreach (var path in paths)
        {
            await page.GotoAsync(path);
            Assert.Equal(0, await page.Locator("[data-testid=results-bars], [data-testid=outcome], .protocol-version .figures, table.changes, th[data-sort-key=ballots], [data-contest-results]").CountAsync());
            // The statistics for observers: nothing derived from a protocol (no fingerprint, tests, histograms, leader).
            Assert.Equal(0, await page.Locator("[data-testid=fingerprint], [data-testid=integer-tests], [data-testid=turnout-histogram], [data-testid=last-digit], [data-testid=leading-party]").CountAsync());
            if (path != "/data") await Expect(page.Locator("[data-testid=embargo]").First).ToBeVisibleAsync();
            await PortalFixture.ScreenshotAsync(page, "embargo" + (path == "/" ? "-home" : path.Replace('/', '-')));
        }
    }

    private static async Task<double> WaitForPlaybackAsync(IPage page, double minimum, TimeSpan timeout)
    {
        try
        {
            var handle = await page.WaitForFunctionAsync(
                "min => { const v = document.querySelector('video#camera-video'); return v && v.currentTime >= min ? v.currentTime : false; }",
                minimum, new() { Timeout = (float)timeout.TotalMilliseconds, PollingInterval = 200 });
            return await handle.JsonValueAsync<double>();
        }
        catch (TimeoutException)
        {
            var state = await page.EvaluateAsync<string>("() => { const v = document.querySelector('video'); return v ? `currentTime=${v.currentTime} readyState=${v.readyState} paused=${v.paused} error=${v.error && v.error.message} status=${document.querySelector('[data-player-status]').textContent}` : 'no video'; }");
            Assert.Fail($"the video did not reach currentTime {minimum} within {timeout}: {state}");
            return 0;
        }
    }

    private async Task WaitForArchiveAsync(TimeSpan length, TimeSpan timeout)
    {
        await Wait.UntilAsync(async () =>
        {
            var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture));
            var playlist = await portal.Http.GetStringAsync($"/hls/{PortalFixture.CameraId}/archive.m3u8?from={from}");
            var seconds = playlist.Split('\n').Where(l => l.StartsWith("#EXTINF:", StringComparison.Ordinal))
                .Sum(l => double.Parse(l["#EXTINF:".Length..].TrimEnd(','), CultureInfo.InvariantCulture));
            return seconds >= length.TotalSeconds;
        }, $"the archive of {PortalFixture.CameraId} to reach {length.TotalSeconds} s", timeout, every: TimeSpan.FromSeconds(1));
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
