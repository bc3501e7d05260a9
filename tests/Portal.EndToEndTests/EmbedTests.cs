using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace Portal.EndToEndTests;

/// <summary>
/// A newsroom's page on another origin (a second local port) frames a station's widget: it renders, its figures follow a
/// turnout report live, and nothing the widget loads sets a cookie.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class EmbedTests(PortalFixture portal)
{
    [Fact]
    public async Task AStationWidgetInAnotherOriginsFrameUpdatesLiveAndSetsNoCookie()
    {
        var station = portal.Election.GetProperty("stations").EnumerateArray().Skip(2).First(s => s.GetProperty("id").GetString() != PortalFixture.CameraStation);
        var stationId = station.GetProperty("id").GetString()!;
        var widget = new Uri(portal.Portal.BaseAddress, $"/embed/stations/{stationId}?lang=en");
        using var newsroom = NewsroomPage.Serve($"<!DOCTYPE html><html lang=\"en\"><head><title>Newsroom</title></head><body><h1>Election live</h1>" +
            $"<iframe src=\"{widget}\" title=\"Polling station live figures\" width=\"360\" height=\"300\" style=\"border:0\"></iframe></body></html>");

        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 390, Height = 844 } });
        context.SetDefaultTimeout(30_000);
        var cookies = new List<string>();
        context.Response += async (_, response) =>
        {
            if (!response.Url.StartsWith(portal.Portal.BaseAddress.ToString(), StringComparison.Ordinal)) return;
            if (await response.HeaderValueAsync("set-cookie") is { } setCookie) lock (cookies) cookies.Add($"{response.Url}: {setCookie}");
        };
        var page = await context.NewPageAsync();
        await page.GotoAsync(newsroom.Address.ToString());
        var frame = page.FrameLocator("iframe");
        await Assertions.Expect(frame.GetByTestId("widget")).ToBeVisibleAsync();
        var widgetFrame = page.Frames.Single(f => f.Url.StartsWith(widget.GetLeftPart(UriPartial.Path), StringComparison.Ordinal));
        Assert.NotEqual(new Uri(page.Url).Authority, new Uri(widgetFrame.Url).Authority);
        // Connected and subscribed before the report is sent.
        await widgetFrame.WaitForFunctionAsync("() => document.body.dataset.live === 'connected'", null, new() { Timeout = 60_000 });

        var onList = station.GetProperty("votersOnList").GetInt32();
        var issued = Math.Max(1, onList * 41 / 100) + 7;
        var election = JsonDocument.Parse(await portal.Http.GetStringAsync($"/api/v1/elections/{portal.ElectionId}")).RootElement;
        var asOf = election.GetProperty("electionTime").GetDateTimeOffset();
        var response = await portal.Stations.PostTurnoutAsync(stationId, new { submissionId = Guid.NewGuid().ToString(), asOf, votersIssuedBallots = issued, votersOnList = onList });
        Assert.True(response.IsSuccessStatusCode, $"the station API answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

        var en = CultureInfo.GetCultureInfo("en");
        await Assertions.Expect(frame.GetByTestId("widget-issued")).ToHaveTextAsync(issued.ToString("N0", en), new() { Timeout = 30_000 });
        // The percentage as the live script writes it (its rounding is the browser's; the digits are not the point here).
        await Assertions.Expect(frame.GetByTestId("widget-turnout")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d%$"));
        Assert.Equal("", await widgetFrame.EvaluateAsync<string>("() => document.cookie"));
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Domain == widget.Host);
        lock (cookies) Assert.True(cookies.Count == 0, string.Join("\n", cookies));
        await PortalFixture.ScreenshotAsync(page, "widget-in-newsroom-390");
        await context.CloseAsync();
    }

    [Fact]
    public async Task TheStationPagesEmbedCodeIsCompleteAbsoluteAndSelectedOnFocus()
    {
        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = portal.Portal.BaseAddress.ToString(), ViewportSize = new() { Width = 390, Height = 844 },
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/stations/{PortalFixture.CameraStation}?lang=en");
        var section = page.GetByTestId("embed-code");
        await section.Locator("summary").ClickAsync();
        var code = page.GetByTestId("embed-code-text");
        await Assertions.Expect(code).ToBeVisibleAsync();
        // Without a public origin the server writes a site-relative src; the script makes it this page's absolute address.
        var widget = new Uri(portal.Portal.BaseAddress, $"/embed/stations/{PortalFixture.CameraStation}?lang=en").ToString();
        await Assertions.Expect(code).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^<iframe src=\"" + System.Text.RegularExpressions.Regex.Escape(widget) + "\""));
        await code.FocusAsync();
        var selection = await code.EvaluateAsync<int[]>("t => [t.selectionStart, t.selectionEnd, t.value.length]");
        Assert.Equal([0, selection[2]], selection[..2]);
        await Assertions.Expect(section.Locator("button[data-embed-copy]")).ToBeVisibleAsync();
        // The code works when pasted: a page of another origin with exactly this code shows the widget.
        using var newsroom = NewsroomPage.Serve($"<!DOCTYPE html><html lang=\"en\"><head><title>Newsroom</title></head><body>{await code.InputValueAsync()}</body></html>");
        var other = await context.NewPageAsync();
        await other.GotoAsync(newsroom.Address.ToString());
        await Assertions.Expect(other.FrameLocator("iframe").GetByTestId("widget")).ToBeVisibleAsync();
        await section.ScrollIntoViewIfNeededAsync();
        await section.ScreenshotAsync(new() { Path = Path.Combine(PortalFixture.Artifacts, "embed-code-station-390.png") });
        await context.CloseAsync();
    }

    /// <summary>A page of another origin: one HTML document on a free local port.</summary>
    private sealed class NewsroomPage : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        private NewsroomPage(string html)
        {
            Address = new Uri($"http://127.0.0.1:{TestPorts.Free()}/");
            _listener.Prefixes.Add(Address.ToString());
            _listener.Start();
            var body = Encoding.UTF8.GetBytes(html);
            _serving = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext request;
                    try { request = await _listener.GetContextAsync(); } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                    request.Response.ContentType = "text/html; charset=utf-8";
                    await request.Response.OutputStream.WriteAsync(body);
                    request.Response.Close();
                }
            });
        }

        public Uri Address { get; }

        public static NewsroomPage Serve(string html) => new(html);

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }
    }
}
