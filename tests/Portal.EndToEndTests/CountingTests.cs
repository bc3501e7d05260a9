using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Portal.Grains.Counting;
using Portal.Grains.Model;

namespace Portal.EndToEndTests;

/// <summary>The demo day from 07:59 with ten-minute clips: the first clip of the ballot-box camera is archived within a minute.</summary>
public sealed class CountingFixture : PortalFixture
{
    public const int ClipMinutes = 10;
    protected override string StartAt => "07:59";
    protected override IEnumerable<string> ExtraArguments => ["--Counting:DemoClipMinutes", ClipMinutes.ToString()];
}

/// <summary>Issue 18: a visitor counts a clip with Space in Chromium; with two more volunteers the station page shows the count next to the official figure.</summary>
public sealed class CountingTests(CountingFixture portal) : IClassFixture<CountingFixture>
{
    [Fact]
    public async Task AVisitorCountsAClipWithSpaceAndTheStationPageShowsItNextToTheOfficialFigure()
    {
        await portal.WaitForLiveVideoAsync(TimeSpan.FromSeconds(90));
        var definition = ElectionDefinitionLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(portal.Election.GetRawText())));
        var catalog = new ElectionCatalog(definition, []);
        var scene = new DemoBallotScene(catalog, new ClipPlan(catalog, CountingFixture.ClipMinutes), seed: 2024);

        var page = await portal.NewPageAsync();
        await page.GotoAsync("/count?lang=en");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Count the ballots yourself" })).ToBeVisibleAsync();
        var counter = page.Locator("[data-counter]");
        // The first clip is in the archive about a minute after the start: ask until one is given.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (await counter.GetAttributeAsync("data-clip") is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "no clip was given to count within 3 minutes:\n" + PortalFixture.Tail(portal.Portal.Output));
            await page.GetByRole(AriaRole.Button, new() { Name = "Give me a clip" }).ClickAsync();
            await page.WaitForFunctionAsync("() => ['msgNoTask', 'msgLoading', 'msgPlaying', 'msgError'].includes(document.querySelector('[data-counter]').dataset.state) || document.querySelector('[data-counter]').dataset.clip");
            if (await counter.GetAttributeAsync("data-clip") is null) await page.WaitForTimeoutAsync(2000);
        }
        var clipId = (await counter.GetAttributeAsync("data-clip"))!;
        var clip = scene.Plan.Find(clipId)!;
        var truth = scene.CountOf(clip);

        // The clip plays from the archive; the visitor presses Space at each ballot (one too many, undone).
        await page.WaitForFunctionAsync("() => { const v = document.querySelector('[data-count-video]'); return v && v.currentTime > 0.5 && !v.paused; }",
            null, new() { Timeout = 60_000 });
        await PortalFixture.ScreenshotAsync(page, "count-desktop");
        for (var i = 0; i <= truth; i++) await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.GetByTestId("count-value")).ToHaveTextAsync((truth + 1).ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Undo last" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("count-value")).ToHaveTextAsync(truth.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Send my count" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-count-status]")).ToHaveTextAsync("Thank you! Your count is in.");

        // Two more volunteers, each with a token of their own, count the same clip.
        var task = await portal.Http.GetFromJsonAsync<JsonElement>("/api/v1/count/task");
        var seconds = task.GetProperty("seconds").GetDouble();
        for (var v = 0; v < 2; v++)
        {
            using var volunteer = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = portal.Portal.BaseAddress };
            Assert.True((await volunteer.GetAsync("/api/v1/count/task")).IsSuccessStatusCode);
            var presses = Enumerable.Range(0, truth).Select(i => Math.Round(seconds * (i + 0.5) / Math.Max(1, truth), 3)).ToList();
            var response = await volunteer.PostAsync($"/api/v1/count/clips/{clipId}/counts",
                new StringContent(JsonSerializer.Serialize(new { count = truth, presses }), Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        // The official figure of the morning window: a turnout report of the station's device.
        var station = catalog.FindStation(clip.StationId)!;
        var election = JsonDocument.Parse(await portal.Http.GetStringAsync($"/api/v1/elections/{portal.ElectionId}")).RootElement;
        var asOf = election.GetProperty("electionTime").GetDateTimeOffset();
        var official = truth + 7;
        var report = await portal.Stations.PostTurnoutAsync(station.Id, new { submissionId = Guid.NewGuid().ToString(), asOf, votersIssuedBallots = official, votersOnList = station.VotersOnList });
        Assert.True(report.IsSuccessStatusCode, $"turnout refused: {(int)report.StatusCode} {await report.Content.ReadAsStringAsync()}");

        var stationPage = await portal.NewPageAsync();
        var row = stationPage.Locator($"[data-testid=counting-table] tr[data-window='{clip.Window}']");
        deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await stationPage.GotoAsync($"/stations/{station.Id}?lang=en");
            var counted = await row.Locator("[data-field=counted]").TextContentAsync();
            var shown = (await row.Locator("[data-field=official]").TextContentAsync())?.Trim();
            if (counted == truth.ToString() && shown == official.ToString()) break;
            Assert.True(DateTime.UtcNow < deadline, $"the station page shows counted {counted} and official {shown}, not {truth} and {official}");
            await stationPage.WaitForTimeoutAsync(1000);
        }
        await Assertions.Expect(stationPage.GetByRole(AriaRole.Heading, new() { Name = "Ballots counted from video" })).ToBeVisibleAsync();
        await stationPage.Locator("[data-testid=counted-ballots]").ScrollIntoViewIfNeededAsync();
        await PortalFixture.ScreenshotAsync(stationPage, "counted-ballots-station");

        var phone = await portal.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = portal.Portal.BaseAddress.ToString(), ViewportSize = new() { Width = 390, Height = 844 } });
        await phone.GotoAsync("/count?lang=uz");
        await phone.GetByRole(AriaRole.Button, new() { Name = "Lavha bering" }).ClickAsync();
        await phone.WaitForFunctionAsync("() => document.querySelector('[data-counter]').dataset.state !== undefined && document.querySelector('[data-counter]').dataset.state !== 'msgLoading'");
        await PortalFixture.ScreenshotAsync(phone, "count-phone-uz");
    }
}
