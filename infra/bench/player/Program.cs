// What a viewer really gets (issue 15 point 3): the real portal (Release, embedded, one demo camera station) and Debian's
// Chromium driven by Playwright, opening the station page as a viewer does and playing the camera with the project's
// player (hls.js). Per trial (a fresh browser context, so nothing is cached):
//   * first frame: from the navigation's start to the video's first `playing` with a decoded frame (currentTime > 0);
//   * live latency: every 500 ms, wall clock minus hls.js's `playingDate` (the program-date-time of what is on screen);
//     the demo's picture is generated on this machine, so its program-date-time is the picture's own clock;
//   * the baseline in the same run: the origin's live edge, wall clock minus the end of the newest segment of the live
//     playlist fetched at the same moments (no player can be closer than that), and the ratio player/edge;
//   * rebuffers: `waiting` events after the first frame (the price of sitting closer to the edge).
// Trials alternate between the shipped player and the former setting (liveSyncDurationCount 3, rewritten into player.js
// by a Playwright route), so both are measured in the same run under the same load.
// No timing asserts: it prints figures (docs/perf.md).
// Usage: dotnet infra/bench/player/bin/Release/net10.0/Portal.Bench.Player.dll [--trials 5] [--seconds 20]
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

var trials = Arg("--trials", 5);
var seconds = Arg("--seconds", 20);
const string Station = "1-0001";
const string Camera = "cam-1-0001-a";
var chromium = "/usr/bin/chromium";
if (!File.Exists(chromium)) { Console.Error.WriteLine("needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)"); return 2; }
var portalDll = PortalUnderTest.PortalDll();
if (!File.Exists(portalDll)) { Console.Error.WriteLine($"build first: dotnet build -c Release src/Portal ({portalDll} is missing)"); return 2; }

var work = Path.Combine(Path.GetTempPath(), $"bench-player-{Environment.ProcessId}");
Directory.CreateDirectory(work);
var port = PortalUnderTest.FreePort();
var inv = CultureInfo.InvariantCulture;
Console.WriteLine($"bench-player: {trials} trials of {seconds} s, station {Station}, camera {Camera}; {Environment.ProcessorCount} cores; load {File.ReadAllText("/proc/loadavg")[..14]}");
using var portal = PortalUnderTest.StartQuiet("dotnet", [portalDll, "--urls", $"http://127.0.0.1:{port}", "--Management:Urls", $"http://127.0.0.1:{PortalUnderTest.FreePort()}",
    "--data-dir", Path.Combine(work, "data"), "--Demo:Stations", "20", "--Demo:ActiveCameraStations", "1", "--Demo:Enabled", "true",
    "--Simulator:Enabled", "false", "--Gateway:DataDir", Path.Combine(work, "video"),
    "--Cluster:SiloPort", $"{PortalUnderTest.FreePort()}", "--Cluster:GatewayPort", $"{PortalUnderTest.FreePort()}",
    "--PublicWeb:ApiRequestsPerWindow", "100000000"]);
var variants = new[] { new Variant("shipped player"), new Variant("former: liveSyncDurationCount 3") };
var edges = new List<double>();
try
{
    using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
    await PortalUnderTest.WaitReadyAsync(http);
    var deadline = DateTime.UtcNow.AddMinutes(2);
    while (!(await TryGet(http, $"/hls/{Camera}/live.m3u8")).Contains(".ts", StringComparison.Ordinal))
    {
        if (DateTime.UtcNow > deadline) throw new TimeoutException("the demo camera's live playlist did not appear");
        await Task.Delay(500);
    }
    // Let the live window fill (6 segments) so the player can start at its usual distance from the edge.
    await Task.Delay(TimeSpan.FromSeconds(8));

    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = chromium, Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--autoplay-policy=no-user-gesture-required"],
    });
    for (var t = 1; t <= trials * variants.Length; t++)
    {
        var variant = variants[(t - 1) % variants.Length];
        var former = variant != variants[0];
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = http.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 },
            // The page's CSP (script-src 'self') forbids the string evaluation the probes below need; the player is unchanged.
            BypassCSP = true,
        });
        var page = await context.NewPageAsync();
        if (former)
            await page.RouteAsync("**/js/player*.js", async route =>
            {
                var response = await route.FetchAsync();
                var body = await response.TextAsync();
                var rewritten = Regex.Replace(body, @"liveSyncDurationCount: \d+[^,}]*", "liveSyncDurationCount: 3");
                rewritten = Regex.Replace(rewritten, @",\s*maxLiveSyncPlaybackRate: [0-9.]+", "");
                if (rewritten == body) throw new InvalidOperationException("player.js has no liveSyncDurationCount to rewrite");
                await route.FulfillAsync(new RouteFulfillOptions { Response = response, Body = rewritten });
            });
        // Installed before the page's own scripts: the first `playing` with a frame on screen, in the navigation's clock.
        await page.AddInitScriptAsync("""
            document.addEventListener('playing', e => {
              const v = e.target;
              const mark = () => { if (window.__firstFrame === undefined) window.__firstFrame = performance.now(); };
              if (v.requestVideoFrameCallback) v.requestVideoFrameCallback(mark); else mark();
            }, true);
            window.__stalls = 0;
            document.addEventListener('waiting', () => { if (window.__firstFrame !== undefined) window.__stalls++; }, true);
            """);
        await page.GotoAsync($"/stations/{Station}");
        await page.WaitForFunctionAsync("window.__firstFrame !== undefined", null, new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 50 });
        var firstFrame = await page.EvaluateAsync<double>("window.__firstFrame");
        variant.FirstFrames.Add(firstFrame / 1000);
        var trialLatencies = new List<double>();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(500);
            // hls.js's own view: playingDate (program-date-time at currentTime) and its latency estimate to the live edge.
            var sample = await page.EvaluateAsync<double[]>("""
                () => { const v = document.querySelector('video'); const h = v && v.hls;
                  if (!h || !h.playingDate || v.paused) return [];
                  return [Date.now() - h.playingDate.getTime(), (h.latency || 0) * 1000]; }
                """);
            var edge = EdgeSeconds(await TryGet(http, $"/hls/{Camera}/live.m3u8"));
            if (sample.Length < 2 || edge is null) continue;
            trialLatencies.Add(sample[0] / 1000);
            variant.HlsLatencies.Add(sample[1] / 1000);
            edges.Add(edge.Value);
        }
        var stalls = await page.EvaluateAsync<int>("window.__stalls");
        variant.Latencies.AddRange(trialLatencies);
        variant.Stalls += stalls;
        trialLatencies.Sort();
        Console.WriteLine(string.Create(inv, $"trial {t} ({variant.Name}): first frame {firstFrame / 1000:0.00} s; live latency p50 {Percentile(trialLatencies, 0.5):0.00} s ({trialLatencies.Count} samples); rebuffers {stalls}"));
    }
}
finally
{
    try { portal.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    portal.WaitForExit(10_000);
    try { Directory.Delete(work, true); } catch (IOException) { }
}
edges.Sort();
Console.WriteLine();
Console.WriteLine($"== results (load average at end {File.ReadAllText("/proc/loadavg")[..14]})");
Console.WriteLine(string.Create(inv, $"baseline, origin live edge (wall clock - end of the newest segment): p50 {Percentile(edges, 0.5):0.00} s, p95 {Percentile(edges, 0.95):0.00} s"));
foreach (var v in variants)
{
    v.FirstFrames.Sort(); v.Latencies.Sort(); v.HlsLatencies.Sort();
    Console.WriteLine($"-- {v.Name}");
    Console.WriteLine(string.Create(inv, $"time to first frame ({v.FirstFrames.Count} page opens): p50 {Percentile(v.FirstFrames, 0.5):0.00} s, max {v.FirstFrames[^1]:0.00} s (target <= 2 s)"));
    Console.WriteLine(string.Create(inv, $"live latency, wall clock - program-date-time on screen ({v.Latencies.Count} samples): p50 {Percentile(v.Latencies, 0.5):0.00} s, p95 {Percentile(v.Latencies, 0.95):0.00} s (target p50 <= 3 s)"));
    Console.WriteLine(string.Create(inv, $"hls.js latency estimate to the live edge: p50 {Percentile(v.HlsLatencies, 0.5):0.00} s; rebuffers after the first frame: {v.Stalls} in {v.FirstFrames.Count * seconds} s"));
    Console.WriteLine(string.Create(inv, $"ratio player/edge latency p50: {Percentile(v.Latencies, 0.5) / Math.Max(Percentile(edges, 0.5), 1e-3):0.00}; player - edge p50: {Percentile(v.Latencies, 0.5) - Percentile(edges, 0.5):0.00} s"));
}
Console.WriteLine(string.Create(inv, $"shipped / former live latency p50: {Percentile(variants[0].Latencies, 0.5) / Percentile(variants[1].Latencies, 0.5):0.00}"));
return 0;

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

static async Task<string> TryGet(HttpClient http, string path)
{
    try { return await http.GetStringAsync(path); } catch (HttpRequestException) { return ""; } catch (TaskCanceledException) { return ""; }
}

// Wall clock minus the end of the newest segment (its program-date-time plus duration).
static double? EdgeSeconds(string playlist)
{
    DateTimeOffset? pdt = null;
    double duration = 0;
    DateTimeOffset? newestEnd = null;
    foreach (var line in playlist.Split('\n'))
    {
        if (line.StartsWith("#EXT-X-PROGRAM-DATE-TIME:", StringComparison.Ordinal))
            pdt = DateTimeOffset.Parse(line[25..].Trim(), CultureInfo.InvariantCulture);
        else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            duration = double.Parse(Regex.Match(line, @"#EXTINF:([0-9.]+)").Groups[1].Value, CultureInfo.InvariantCulture);
        else if (line.EndsWith(".ts", StringComparison.Ordinal) && pdt is { } start)
        {
            newestEnd = start.AddSeconds(duration);
            pdt = newestEnd; // the next segment without its own tag follows on
        }
    }
    return newestEnd is { } end ? (DateTimeOffset.UtcNow - end).TotalSeconds : null;
}

static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

sealed class Variant(string name)
{
    public string Name { get; } = name;
    public List<double> FirstFrames { get; } = [];
    public List<double> Latencies { get; } = [];
    public List<double> HlsLatencies { get; } = [];
    public int Stalls { get; set; }
}
