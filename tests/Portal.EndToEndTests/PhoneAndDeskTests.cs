using System.Text.Json;
using Microsoft.Playwright;

namespace Portal.EndToEndTests;

/// <summary>
/// Every public page type on a phone (360x740) and a desktop (1366x900): nothing scrolls sideways, every link and button
/// outside running text is at least 44x44 px, axe-core finds nothing serious or critical; and the observer's desk keeps
/// its stations and plays their cameras. Screenshots go to artifacts/e2e.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class PhoneAndDeskTests(PortalFixture portal)
{
    private static string AxeScript
    {
        get
        {
            var path = Path.Combine(PortalFixture.RepositoryRoot, "node_modules", "axe-core", "axe.min.js");
            if (!File.Exists(path)) Assert.Fail($"axe-core is missing ({path}): run `npm ci` first.");
            return File.ReadAllText(path);
        }
    }

    private async Task<IPage> PageAsync(int width, int height)
    {
        // axe is injected as an inline script, which the portal's CSP (script-src 'self') would refuse.
        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.Portal.BaseAddress.ToString(), ViewportSize = new() { Width = width, Height = height }, BypassCSP = true,
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    private async Task<IReadOnlyList<(string Name, string Path)>> PageTypesAsync()
    {
        var station = portal.Election.GetProperty("stations")[0];
        var region = station.GetProperty("regionId").GetString()!;
        var contest = portal.Election.GetProperty("contests")[0];
        var constituency = contest.GetProperty("constituencies")[0].GetProperty("id").GetString()!;
        var search = await portal.Http.GetStringAsync("/search?type=decision&q=saylov");
        var decision = System.Text.RegularExpressions.Regex.Match(search, "href=\"(/decisions/[^\"]+)\"");
        Assert.True(decision.Success, "no decision found to open");
        return
        [
            ("home", "/"), ("region", $"/regions/{region}"),
            ("constituency", $"/contests/{contest.GetProperty("id").GetString()}/constituencies/{constituency}"),
            ("station", $"/stations/{PortalFixture.CameraStation}"), ("search", "/search?q=uchastka+5"), ("data", "/data"),
            ("about", "/about"), ("statistics", "/statistics"), ("decision", decision.Groups[1].Value),
            ("desk", $"/watch?stations={PortalFixture.CameraStation},{portal.Election.GetProperty("stations")[1].GetProperty("id").GetString()}"),
            ("cameras", "/cameras"),
        ];
    }

    [Theory]
    [InlineData(360, 740)]
    [InlineData(1366, 900)]
    public async Task EveryPageTypeFitsHasLargeTargetsAndNoSeriousAccessibilityViolation(int width, int height)
    {
        var axe = AxeScript;
        var page = await PageAsync(width, height);
        var problems = new List<string>();
        foreach (var (name, path) in await PageTypesAsync())
        {
            var response = await page.GotoAsync(path);
            Assert.True(response is { Ok: true }, $"{path}: {response?.Status}");
            await page.WaitForLoadStateAsync(LoadState.Load);
            var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            if (widths[0] > widths[1])
            {
                // Name what sticks out: the innermost elements that reach past the viewport.
                var wide = await page.EvaluateAsync<string[]>(@"() => [...document.body.querySelectorAll('*')]
                    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5 && ![...el.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 0.5))
                    .slice(0, 3).map(el => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}px`)");
                problems.Add($"{name} at {width}: scrollWidth {widths[0]} > innerWidth {widths[1]} ({string.Join(", ", wide)})");
            }

            // Links and buttons a thumb must hit. A link inside a sentence is exempt (WCAG 2.5.8's inline exception):
            // its parent holds more text than the link itself.
            var small = await page.EvaluateAsync<string[]>(@"() => [...document.querySelectorAll('a[href], button')]
                .filter(el => el.offsetParent !== null && !el.closest('.skip-link'))
                .filter(el => { const p = el.parentElement; return !(p && p.textContent.trim().length > el.textContent.trim().length + 1 && getComputedStyle(el).display === 'inline'); })
                .map(el => [el, el.getBoundingClientRect()])
                .filter(([el, r]) => r.width > 0 && (r.width < 43.5 || r.height < 43.5))
                .slice(0, 5).map(([el, r]) => `${el.tagName.toLowerCase()} '${el.textContent.trim().slice(0, 30)}' ${Math.round(r.width)}x${Math.round(r.height)}`)");
            problems.AddRange(small.Select(s => $"{name} at {width}: small target {s}"));

            await page.AddScriptTagAsync(new() { Content = axe });
            var violations = await page.EvaluateAsync<JsonElement>(@"async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => `${v.id}: ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)");
            problems.AddRange(violations.EnumerateArray().Select(v => $"{name} at {width}: axe {v.GetString()}"));
            await PortalFixture.ScreenshotAsync(page, $"page-{name}-{width}x{height}");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task TheDeskKeepsThreeStationsAcrossAReloadAndPlaysTheirCameras()
    {
        await portal.WaitForLiveVideoAsync(TimeSpan.FromSeconds(90));
        var page = await PageAsync(390, 844);
        var stations = portal.Election.GetProperty("stations").EnumerateArray().Take(3).Select(s => s.GetProperty("id").GetString()!).ToList();
        Assert.Contains(PortalFixture.CameraStation, stations);
        foreach (var id in stations)
        {
            await page.GotoAsync($"/stations/{id}");
            var toggle = page.GetByTestId("watch-toggle");
            await Expect(toggle).ToBeVisibleAsync();
            await toggle.ClickAsync();
            await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
        }

        // The desk opened without a list takes the one kept in this browser, and keeps it across a reload.
        await page.GotoAsync("/watch");
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("stations="));
        await page.ReloadAsync();
        var cards = page.Locator("[data-desk-station]");
        await Expect(cards).ToHaveCountAsync(3);
        Assert.Equal(stations, await cards.EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.deskStation)"));

        // The camera station's player plays.
        var video = page.Locator($"video[data-desk-player='{PortalFixture.CameraId}']");
        await Expect(video).ToHaveCountAsync(1);
        var (played, _) = await Wait.ProbeAsync(() => video.EvaluateAsync<double>("v => v.currentTime"), t => t >= 1, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
        Assert.True(played >= 1, $"the desk's player did not play (currentTime {played})");
        await Expect(page.Locator($"[data-camera-state='{PortalFixture.CameraId}']")).ToHaveAttributeAsync("data-state", "live");
        await Expect(page.GetByTestId("desk-events")).ToHaveAttributeAsync("aria-live", "polite");
        await PortalFixture.ScreenshotAsync(page, "desk-three-stations");

        // On the phone the events are below every tile: the link at the top brings them into view.
        await Expect(page.Locator("#desk-events-heading")).Not.ToBeInViewportAsync();
        await page.GetByTestId("desk-jump-events").ClickAsync();
        await Expect(page.Locator("#desk-events-heading")).ToBeInViewportAsync();
        Assert.Equal("/watch", new Uri(page.Url).AbsolutePath);
        // The same holds for the skip link (the pages' <base href="/"> would send a bare "#main" to the home page).
        await page.Keyboard.PressAsync("Home");
        await page.Locator(".skip-link").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#main")).ToBeInViewportAsync();
        Assert.Equal("/watch", new Uri(page.Url).AbsolutePath);

        // The shared link opens the same desk in another browser.
        var share = await page.GetByTestId("desk-share").GetAttributeAsync("href");
        var other = await PageAsync(1366, 900);
        await other.GotoAsync(share!);
        await Expect(other.Locator("[data-desk-station]")).ToHaveCountAsync(3);
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);
}
