using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEndTests;

/// <summary>
/// The portal process with an election whose one active camera is a <c>listen</c> source that this test pushes to
/// with ffmpeg, and the generated demo accounts read from the start-up banner; Chromium drives the ops pages.
/// </summary>
public sealed class OpsFixture : IAsyncLifetime
{
    public const string CameraId = "cam-1-0001-a";
    public const string CameraStation = "1-0001";
    private readonly string _dataDir = Directory.CreateTempSubdirectory("portal-e2e-ops-").FullName;
    private PortalProcess? _portal;
    private IPlaywright? _playwright;

    public PortalProcess Portal => _portal ?? throw new InvalidOperationException("not started");
    public IBrowser Browser { get; private set; } = null!;
    public int ListenPort { get; } = TestPorts.Free();
    public string Ffmpeg { get; private set; } = "";
    public Dictionary<string, (string User, string Password)> Accounts { get; } = [];
    /// <summary>The election's stations in its order; only <see cref="CameraStation"/> has a camera on.</summary>
    public IReadOnlyList<string> StationIds { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(PortalFixture.Chromium)) Assert.Fail($"The end-to-end tests need Chromium at {PortalFixture.Chromium}, which is missing. Install it with: apt-get install chromium");
        Ffmpeg = RequiredTool.Find("ffmpeg", "apt-get install ffmpeg");
        var election = DemoElectionGenerator.Generate(new DemoElectionOptions
        {
            Seed = 5, Stations = 40, ActiveCameraStations = 1, ElectionDay = DateOnly.FromDateTime(DateTime.UtcNow),
        });
        foreach (var station in election.Stations)
            foreach (var camera in station.Cameras)
                (camera.Source, camera.Enabled) = camera.Id == CameraId ? (CameraSources.Listen, true) : (camera.Source, false);
        StationIds = [.. election.Stations.Select(s => s.Id)];
        var (_, electionFile, keysFile, _) = TestElectionFiles.Write(_dataDir, election, keysFileName: "station-keys.csv");

        _portal = PortalProcess.Start([
            "--environment", "Development",
            "--election", electionFile, "--station-keys", keysFile, "--data-dir", _dataDir,
            "--Ops:DemoUsers", "true",
            "--Gateway:DataDir", Path.Combine(_dataDir, "video"),
            "--Gateway:ListenAddress", "127.0.0.1",
            "--Gateway:ListenPortStart", ListenPort.ToString(),
            "--Gateway:ListenPortCount", "1",
            "--Search:IndexPath", Path.Combine(_dataDir, "search"),
            "--Cluster:SiloPort", TestPorts.Free().ToString(),
            "--Cluster:GatewayPort", TestPorts.Free().ToString(),
        ]);
        await _portal.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        foreach (Match m in Regex.Matches(_portal.Output, @"^\s+(operator|publisher|admin)\s+user (\S+)\s+password (\S+)", RegexOptions.Multiline))
            Accounts[m.Groups[1].Value] = (m.Groups[2].Value, m.Groups[3].Value);
        Assert.True(Accounts.Count == 3, "the demo accounts banner was not printed:\n" + PortalFixture.Tail(_portal.Output));

        _playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = PortalFixture.Chromium, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>
    /// The camera pushing a moving test picture (H.264) to the gateway's listen address, as a real one does: a push that
    /// is refused or dropped (the gateway's listening ffmpeg is between restarts) is tried again until stopped.
    /// </summary>
    public CameraPush StartPush() => new(() =>
    {
        var info = new ProcessStartInfo(Ffmpeg) { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=15",
                     "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "15", "-pix_fmt", "yuv420p",
                     "-f", "rtsp", "-rtsp_transport", "tcp", $"rtsp://127.0.0.1:{ListenPort}/{CameraId}" })
            info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    });

    public async Task<IPage> LoginAsync(string role)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Portal.BaseAddress.ToString(), ViewportSize = new() { Width = 1400, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/ops");
        await Expect(page).ToHaveURLAsync(new Regex("/ops/login"));
        var (user, password) = Accounts[role];
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/ops$"));
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        if (_portal is not null) await _portal.DisposeAsync();
        try { Directory.Delete(_dataDir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The listen-camera portal, shared by the ops wall and the observer's desk tests (one process, one after the other).</summary>
[CollectionDefinition(Name)]
public sealed class ListenCameraCollection : ICollectionFixture<OpsFixture>
{
    public const string Name = "listen-camera";
}

[Collection(ListenCameraCollection.Name)]
public sealed class OpsWallTests(OpsFixture ops)
{
    [Fact]
    public async Task OperatorSeesACameraGoOfflineWhenItsSourceStopsAndLiveWhenItReturns()
    {
        var push = ops.StartPush();
        try
        {
            var page = await ops.LoginAsync("operator");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Camera wall" })).ToBeVisibleAsync();
            var tile = page.Locator($"a.ops-tile[data-camera='{OpsFixture.CameraId}']");
            await Expect(tile).ToHaveAttributeAsync("data-state", "Live", new() { Timeout = 90_000 });
            await PortalFixture.ScreenshotAsync(page, "ops-wall-live");

            push.Dispose();
            var stopped = Stopwatch.StartNew();
            await Expect(tile).ToHaveAttributeAsync("data-state", "Offline", new() { Timeout = 10_000 });
            Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(10), $"offline after {stopped.Elapsed.TotalSeconds:F1} s");
            await PortalFixture.ScreenshotAsync(page, "ops-wall-offline");

            push = ops.StartPush();
            await Expect(tile).ToHaveAttributeAsync("data-state", "Live", new() { Timeout = 60_000 });
            // The page updated itself: same document, no reload.
            await Expect(page).ToHaveURLAsync(new Regex("/ops$"));
        }
        finally
        {
            push.Dispose();
        }
    }

    [Fact]
    public async Task PublisherPublishesADecisionAndFindsItOnThePublicSearch()
    {
        var page = await ops.LoginAsync("publisher");
        await page.GotoAsync("/ops/decisions");
        var word = "Shaffoflik" + Random.Shared.Next(100000, 999999);
        var number = "MSK-E2E-" + Random.Shared.Next(1000, 9999);
        await page.GetByLabel("Number").FillAsync(number);
        await page.GetByLabel("Title en").FillAsync($"On {word} of the count");
        await page.GetByLabel("Body en").FillAsync($"The Central Election Commission decides on {word}.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Expect(page.GetByTestId("result")).ToContainTextAsync("Published " + number);

        var anonymous = await ops.Browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = ops.Portal.BaseAddress.ToString() });
        var response = await anonymous.GotoAsync($"/api/v1/search?q={word}&type=decision");
        Assert.NotNull(response);
        Assert.True(response.Ok);
        Assert.Contains(number, await response.TextAsync());
    }
}

/// <summary>A pushing camera: one ffmpeg at a time, started again half a second after it ends, until disposed.</summary>
public sealed class CameraPush : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private Process? _current;

    public CameraPush(Func<Process> start)
    {
        _loop = Task.Run(async () =>
        {
            while (true)
            {
                Process process;
                lock (_gate)
                {
                    if (_stop.IsCancellationRequested) return;
                    process = _current = start();
                }
                try
                {
                    await process.WaitForExitAsync(_stop.Token);
                    lock (_gate)
                    {
                        _current = null;
                        process.Dispose();
                    }
                    // A camera's own retry pace, not a wait for a condition.
                    await Task.Delay(500, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
        }
        _loop.Wait(TimeSpan.FromSeconds(10));
        Process? process;
        lock (_gate) process = _current;
        if (process is not null)
        {
            try { if (!process.HasExited) process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit(10_000);
            process.Dispose();
        }
        _stop.Dispose();
    }
}
