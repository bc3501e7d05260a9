using System.Diagnostics;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEndTests;

/// <summary>
/// The observer's desk with three stations, one of whose camera is a real <c>listen</c> source this test pushes to
/// with ffmpeg: killing the publisher is a camera really going dark, seen by the gateway, the camera grain and the public
/// hub's <c>camera</c> messages, never faked by calling a grain.
/// </summary>
[Collection(ListenCameraCollection.Name)]
public sealed class DeskCameraOutageTests(OpsFixture ops)
{
    [Fact]
    public async Task StoppingOneCamerasSourceShowsItOfflineOnTheDeskWithinTenSecondsAndAnEventAndBackWhenItReturns()
    {
        var push = ops.StartPush();
        try
        {
            var context = await ops.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = ops.Portal.BaseAddress.ToString(), ViewportSize = new() { Width = 390, Height = 844 },
            });
            context.SetDefaultTimeout(30_000);
            var page = await context.NewPageAsync();
            // The camera's station and two more (cameras off): a desk of three.
            Assert.Contains(OpsFixture.CameraStation, ops.StationIds);
            var stations = ops.StationIds.Where(id => id != OpsFixture.CameraStation).Take(2).Prepend(OpsFixture.CameraStation).ToList();
            await page.GotoAsync($"/watch?stations={string.Join(",", stations)}&lang=en");
            await Expect(page.Locator("[data-desk-station]")).ToHaveCountAsync(3);

            var state = page.Locator($"[data-camera-state='{OpsFixture.CameraId}']");
            var tile = page.Locator($"[data-desk-station='{OpsFixture.CameraStation}']");
            var events = page.GetByTestId("desk-events");
            await Expect(events).ToHaveAttributeAsync("aria-live", "polite");
            await Expect(state).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 90_000 });
            await Expect(tile).ToHaveAttributeAsync("data-camera", "live");
            // The live hub is connected (the state above may have come with the page itself).
            await page.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'");
            await PortalFixture.ScreenshotAsync(page, "desk-camera-live-390x844");

            // A camera still starting when the desk opened may already have an event ("back on air"): count from here.
            var offline = events.Locator("li[data-kind='camera-offline']");
            var back = events.Locator("li[data-kind='camera-back']");
            var (offlineBefore, backBefore) = (await offline.CountAsync(), await back.CountAsync());

            push.Dispose();
            var stopped = Stopwatch.StartNew();
            await Expect(state).ToHaveAttributeAsync("data-state", "offline", new() { Timeout = 10_000 });
            Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(10), $"offline on the desk after {stopped.Elapsed.TotalSeconds:F1} s");
            TestContext.Current.TestOutputHelper?.WriteLine($"offline on the desk {stopped.Elapsed.TotalSeconds:F1} s after the source stopped");
            await Expect(state).ToContainTextAsync("offline");
            await Expect(tile).ToHaveAttributeAsync("data-camera", "offline");
            // Red edge: the colour says it too.
            Assert.Equal("rgb(198, 40, 40)", await tile.EvaluateAsync<string>("el => getComputedStyle(el).borderTopColor"));
            await Expect(offline).ToHaveCountAsync(offlineBefore + 1);
            await Expect(offline.First).ToContainTextAsync("Polling station No. 1: camera offline");
            await Expect(offline.First.Locator("time")).ToHaveAttributeAsync("datetime", new System.Text.RegularExpressions.Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d"));
            await Expect(offline.First.Locator("time")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d\d:\d\d$"));
            await Expect(page.Locator("[data-desk-no-events]")).ToBeHiddenAsync();
            await PortalFixture.ScreenshotAsync(page, "desk-camera-offline-390x844");

            // The source comes back: the gateway restarts within its backoff and the desk says so.
            push = ops.StartPush();
            var restarted = Stopwatch.StartNew();
            await Expect(state).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 60_000 });
            TestContext.Current.TestOutputHelper?.WriteLine($"live again on the desk {restarted.Elapsed.TotalSeconds:F1} s after the source returned");
            await Expect(tile).ToHaveAttributeAsync("data-camera", "live");
            await Expect(back).ToHaveCountAsync(backBefore + 1);
            await Expect(back.First).ToContainTextAsync("Polling station No. 1: camera back on air");
            // Newest first, the same document all along (no reload).
            await Expect(events.Locator("li").First).ToHaveAttributeAsync("data-kind", "camera-back");
            await Expect(offline).ToHaveCountAsync(offlineBefore + 1);
            await PortalFixture.ScreenshotAsync(page, "desk-camera-back-390x844");
        }
        finally
        {
            push.Dispose();
        }
    }
}
