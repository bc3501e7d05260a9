using System.Text.Json;
using Microsoft.Playwright;
using Portal.Grains.Model;
using Portal.Ingest.Simulation;

namespace Portal.EndToEndTests;

/// <summary>
/// The real portal process with a small demo election whose accelerated day starts at 09:00 (polls open, results
/// embargoed for the whole run), one demo camera, and Debian's Chromium driven by Playwright.
/// </summary>
public class PortalFixture : IAsyncLifetime
{
    /// <summary>Debian's Chromium, found on PATH; a missing one fails the test naming it.</summary>
    public static string Chromium => RequiredTool.Find("chromium", "apt-get install -y chromium");
    public const string CameraStation = "1-0001";
    public const string CameraId = "cam-1-0001-a";

    private readonly string _dataDir = Directory.CreateTempSubdirectory("portal-e2e-").FullName;
    private PortalProcess? _portal;
    private IPlaywright? _playwright;

    public PortalProcess Portal => _portal ?? throw new InvalidOperationException("not started");
    public IBrowser Browser { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public StationClient Stations { get; private set; } = null!;
    public string ElectionId { get; private set; } = "";

    /// <summary>When the portal process was started: the demo clock's real anchor (07:30, here StartAt) is just after.</summary>
    public DateTimeOffset StartedAt { get; private set; }
    public JsonElement Election { get; private set; }

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>Screenshots go to artifacts/e2e at the repository root (CI keeps the folder).</summary>
    public static string Artifacts
    {
        get
        {
            var path = Path.Combine(RepositoryRoot, "artifacts", "e2e");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    /// <summary>The election-day time the process start maps to: 09:00 is during voting (results embargoed).</summary>
    protected virtual string StartAt => "09:00";
    protected virtual int CameraStations => 1;

    /// <summary>More settings of a fixture's own (after the common ones, so they win).</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Chromium)) Assert.Fail($"The end-to-end tests need Chromium at {Chromium}, which is missing. Install it with: apt-get install chromium");
        if (CameraStations > 0) RequiredTool.Find("ffmpeg", "apt-get install ffmpeg");
        var hlsJs = Path.Combine(RepositoryRoot, "src", "Portal", "wwwroot", "lib", "hls", "hls.min.js");
        if (!File.Exists(hlsJs)) Assert.Fail($"The front-end libraries are missing ({hlsJs}): run `npm ci && npm run build` first.");

        StartedAt = DateTimeOffset.UtcNow;
        _portal = PortalProcess.Start([
            "--data-dir", _dataDir,
            "--Demo:Stations", "60",
            "--Demo:ActiveCameraStations", CameraStations.ToString(),
            "--Demo:Enabled", "true",
            "--Simulator:Enabled", "false",
            "--Demo:StartAt", StartAt,
            // A day of 13 election hours in 60 real minutes: the run stays well before polls close at 20:00.
            "--Demo:DayMinutes", "60",
            "--Demo:DayHours", "13",
            "--Gateway:DataDir", Path.Combine(_dataDir, "video"),
            "--Cluster:SiloPort", TestPorts.Free().ToString(),
            "--Cluster:GatewayPort", TestPorts.Free().ToString(),
            .. ExtraArguments,
        ]);
        await _portal.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        Http = new HttpClient { BaseAddress = _portal.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var keys = StationKeyFiles.ReadPrivate(Path.Combine(_dataDir, "demo", "station-private-keys.csv"));
        Stations = new StationClient(Http, StationClient.Index(keys));
        var election = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dataDir, "demo", "election.json"))).RootElement;
        Election = election.Clone();
        ElectionId = election.GetProperty("id").GetString()!;

        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                    "--autoplay-policy=no-user-gesture-required"],
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Portal.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });

    /// <summary>Waits for the demo camera's live playlist to exist (the gateway starts ffmpeg after the silo).</summary>
    public async Task WaitForLiveVideoAsync(TimeSpan timeout)
    {
        await Wait.UntilAsync(async () =>
        {
            using var response = await Http.GetAsync($"/hls/{CameraId}/live.m3u8");
            return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains(".ts");
        }, $"the demo camera {CameraId} to publish a live playlist", timeout, () => Tail(Portal.Output), TimeSpan.FromMilliseconds(500));
    }

    /// <summary>A constituency's candidates from the demo election file, as the protocol factory takes them.</summary>
    public List<CandidateDefinition> Candidates(string contestId, string constituencyId) =>
        [.. Election.GetProperty("contests").EnumerateArray().First(c => c.GetProperty("id").GetString() == contestId)
            .GetProperty("constituencies").EnumerateArray().First(k => k.GetProperty("id").GetString() == constituencyId)
            .GetProperty("candidates").EnumerateArray()
            .Select(c => new CandidateDefinition { Id = c.GetProperty("id").GetString()!, Name = c.GetProperty("name").GetString()! })];

    /// <summary>
    /// Waits for a server-rendered page to show what <paramref name="condition"/> looks for, reloading it between looks a
    /// second apart (a reload is costly on a loaded box).
    /// </summary>
    public static async Task UntilPageShowsAsync(IPage page, Func<Task<bool>> condition, string what)
    {
        var first = true;
        await Wait.UntilAsync(async () =>
        {
            if (!first) await page.ReloadAsync();
            first = false;
            return await condition();
        }, what, TimeSpan.FromSeconds(60), () => page.Url, TimeSpan.FromSeconds(1));
    }

    public static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    public virtual async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        Http?.Dispose();
        if (_portal is not null) await _portal.DisposeAsync();
        try { Directory.Delete(_dataDir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The same portal with its accelerated day starting at 20:30: polls closed, results public, no cameras.</summary>
public sealed class AfterCloseFixture : PortalFixture
{
    protected override string StartAt => "20:30";
    protected override int CameraStations => 0;
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalFixture>
{
    public const string Name = "portal";
}
