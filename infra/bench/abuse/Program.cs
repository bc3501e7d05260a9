// Abuse benchmark (issue 20): what normal users get from a real portal process (demo election, real clock) alone, and
// then while every attack of the issue runs at once. Normal users: signed station submissions (the protocols
// benchmark's raw driver, 4 connections, closed loop), one live viewer's hub delivery latency, one visitor's page
// latency. Attacks: 2,000 slow unsigned bodies, 5 hub sockets that subscribe and never read, 10,000 re-subscribes on
// one connection, implausible signed reports, 300 ledger pages asking for 5,000 entries. Prints each figure alone,
// attacked and the ratio.
//
//   dotnet infra/bench/abuse/bin/Release/net10.0/Portal.Bench.Abuse.dll [--seconds 20] [--stations 1500] [--slow 2000] [--attacks slow,sockets,...]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Bench.Protocols;
using Portal.Grains.Model;
using Portal.Ingest.Simulation;
using Portal.TestSupport.Abuse;

var inv = CultureInfo.InvariantCulture;
var seconds = Arg("--seconds", 20);
var stationCount = Arg("--stations", 1500);
var slowBodies = Arg("--slow", 2000);
// --attacks slow,sockets,resubscribe,implausible,ledger (default: all at once), to see what one attack costs alone.
var chosen = (args.SkipWhile(a => a != "--attacks").Skip(1).FirstOrDefault() ?? "slow,sockets,resubscribe,implausible,ledger")
    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
const int HonestStations = 100;
const int WatchedStations = 20;

var root = FindRoot();
var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
var portalDll = Path.Combine(root, "src", "Portal", "bin", configuration, "net10.0", "Portal.dll");
var dataDir = Directory.CreateTempSubdirectory("bench-abuse-").FullName;
var port = FreePort();
var baseUri = new Uri($"http://127.0.0.1:{port}");
var server = new IPEndPoint(IPAddress.Loopback, port);
// Yesterday in Tashkent, on the real clock: a day whose polls are open and closed, so a report dated now is plausible.
var day = DateTime.UtcNow.AddHours(5).Date.AddDays(-1).ToString("yyyy-MM-dd", inv);

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; open-file limit {OpenFileLimit()}");
var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(portalDll)! };
foreach (var a in new[] { portalDll, "--urls", baseUri.ToString(), "--data-dir", dataDir, "--Demo:Stations", stationCount.ToString(inv), "--Demo:ActiveCameraStations", "0",
             "--Demo:Enabled", "false", "--Demo:Day", day, "--Simulator:Enabled", "false",
             "--Gateway:Supervise", "false", "--Gateway:DataDir", Path.Combine(dataDir, "video"),
             "--Cluster:SiloPort", FreePort().ToString(inv), "--Cluster:GatewayPort", FreePort().ToString(inv),
             // Every client of the benchmark comes from one address; the figures are about the attacks, not the per-address limiter.
             "--PublicWeb:HubRequestsPerWindow", "1000000", "--PublicWeb:ApiRequestsPerWindow", "1000000", "--Serilog:MinimumLevel:Default", "Warning" })
    info.ArgumentList.Add(a);
info.Environment["DOTNET_ENVIRONMENT"] = "Production";
using var portal = Process.Start(info)!;
var logBytes = 0L;
portal.OutputDataReceived += (_, e) => Interlocked.Add(ref logBytes, e.Data?.Length ?? 0);
portal.ErrorDataReceived += (_, e) => Interlocked.Add(ref logBytes, e.Data?.Length ?? 0);
portal.BeginOutputReadLine();
portal.BeginErrorReadLine();
var exit = 1;
try
{
    using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
    await PortalUnderTest.WaitReadyAsync(http);
    var election = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dataDir, "demo", "election.json"))).RootElement;
    var electionId = election.GetProperty("id").GetString()!;
    var stations = election.GetProperty("stations").EnumerateArray()
        .Select(s => (Id: s.GetProperty("id").GetString()!, OnList: s.GetProperty("votersOnList").GetInt32())).ToArray();
    var client = new StationClient(http, StationClient.Index(StationKeyFiles.ReadPrivate(Path.Combine(dataDir, "demo", "station-private-keys.csv"))));
    var honest = stations.Take(HonestStations).ToArray();
    var watched = honest.Take(WatchedStations).Select(s => $"station:{electionId}:{s.Id}").Prepend($"election:{electionId}").ToArray();

    // One live viewer for the whole run; its samples go to the phase being measured.
    var hubSamples = new ConcurrentBag<double>();
    await using var viewer = Hub(baseUri);
    viewer.On<Stamp>("turnout", e => hubSamples.Add((DateTimeOffset.UtcNow - e.SentAt).TotalMilliseconds));
    await viewer.StartAsync();
    foreach (var topic in watched) await viewer.InvokeAsync("Subscribe", topic);

    var submissionSerial = 0;
    // Warm-up: the grains of the honest stations, the hub path and the pages, before anything is measured.
    await MeasureAsync("warm-up", 5);
    var alone = await MeasureAsync("alone", seconds);

    using var stopAttacks = new CancellationTokenSource();
    var attackReport = new ConcurrentDictionary<string, string>();
    var slow = new SlowBodyAttack(server, slowBodies, i => SlowBodyAttack.Head(server, $"/api/v1/stations/{honest[i % honest.Length].Id}/turnout", null));
    var attacks = new List<Task>();
    if (chosen.Contains("slow")) attacks.Add(slow.RunAsync(stopAttacks.Token));
    if (chosen.Contains("sockets")) attacks.Add(NonReadingSocketsAsync(5, stopAttacks.Token));
    if (chosen.Contains("resubscribe")) attacks.Add(ResubscribeAsync(10_000, stopAttacks.Token));
    if (chosen.Contains("implausible")) attacks.Add(ImplausibleReportsAsync(stopAttacks.Token));
    if (chosen.Contains("ledger")) attacks.Add(BigLedgerPagesAsync(300, stopAttacks.Token));
    Console.WriteLine($"attacks: {string.Join(", ", chosen.Order(StringComparer.Ordinal))}");
    // The slow bodies connect first (2,000 sockets take a moment); the rest start with them.
    var rampUp = Stopwatch.StartNew();
    while (chosen.Contains("slow") && slow.Attempts < slowBodies && rampUp.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(100);
    var attacked = await MeasureAsync("under attack", seconds);
    await stopAttacks.CancelAsync();
    await Task.WhenAll(attacks).WaitAsync(TimeSpan.FromSeconds(60));
    if (chosen.Contains("slow")) attackReport["slow bodies"] = slow.Describe();

    // No figure on the public API may be impossible: national and regional turnout within 100 %, nothing dated ahead.
    var summary = await http.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{electionId}");
    var turnout = summary.GetProperty("turnout");
    var percent = turnout.GetProperty("percent").GetDouble();
    var regionsOk = summary.GetProperty("regionTurnout").EnumerateArray().All(r => r.GetProperty("turnout").GetProperty("percent").GetDouble() <= 100);

    Console.WriteLine();
    Console.WriteLine($"{"figure",-40} {"alone",12} {"attacked",12} {"ratio",8}");
    Row("signed submissions/s", alone.PerSecond, attacked.PerSecond, "F0");
    Row("signed submission p99 (ms)", alone.SubmitP99, attacked.SubmitP99, "F1");
    Row("signed submissions not 2xx", alone.NotAccepted, attacked.NotAccepted, "F0");
    Row("hub delivery p50 (ms)", alone.HubP50, attacked.HubP50, "F0");
    Row("hub delivery p99 (ms)", alone.HubP99, attacked.HubP99, "F0");
    Row("hub messages received", alone.HubCount, attacked.HubCount, "F0");
    Row("public page p99 (ms)", alone.PageP99, attacked.PageP99, "F1");
    Row("public pages not 200", alone.PageErrors, attacked.PageErrors, "F0");
    Console.WriteLine();
    foreach (var (name, text) in attackReport.OrderBy(kv => kv.Key)) Console.WriteLine($"attack {name}: {text}");
    Console.WriteLine($"national turnout after the attacks {percent:F2} % ({turnout.GetProperty("votersIssuedBallots").GetInt64():N0} of {turnout.GetProperty("votersOnList").GetInt64():N0}); every region within 100 %: {regionsOk}");
    portal.Refresh();
    Console.WriteLine($"portal: cpu {portal.TotalProcessorTime.TotalSeconds:F0} s in all, RSS {PortalUnderTest.Rss(portal.Id) / 1048576.0:F0} MiB at the end, {Interlocked.Read(ref logBytes) / 1024.0:F0} KiB of console log");
    exit = percent <= 100 && regionsOk ? 0 : 1;

    async Task<Phase> MeasureAsync(string label, int phaseSeconds)
    {
        hubSamples.Clear();
        var until = Stopwatch.StartNew();
        var pages = PagesAsync(() => until.Elapsed < TimeSpan.FromSeconds(phaseSeconds));
        var latencies = new List<double>();
        int acked = 0, notAccepted = 0;
        var submitTime = TimeSpan.Zero;
        while (until.Elapsed < TimeSpan.FromSeconds(phaseSeconds))
        {
            // Signed in chunks (each timestamp must stay within the server's 300 s window), before its timed run.
            var items = Enumerable.Range(0, 400).Select(i =>
            {
                var n = Interlocked.Increment(ref submissionSerial);
                var s = honest[n % honest.Length];
                var body = ProtocolFactory.Turnout($"bench-{n}", DateTimeOffset.UtcNow.AddMinutes(-1), 1 + n / honest.Length % Math.Max(1, s.OnList / 2), s.OnList);
                return new LoadItem(s.Id, "turnout", StationClient.Serialize(body));
            }).ToList();
            var driver = RawHttpDriver.Prepare(baseUri, client.Presign(items));
            var report = await driver.RunAsync(server, concurrency: 4);
            latencies.AddRange(report.LatenciesMs);
            acked += report.Acknowledged;
            notAccepted += report.Rejected;
            submitTime += report.Elapsed;
        }
        var (pageLatencies, pageErrors) = await pages;
        await Task.Delay(1000); // the last messages of the phase
        var hub = hubSamples.ToArray();
        var phase = new Phase(acked / submitTime.TotalSeconds, Q(latencies, 0.99), notAccepted, Q(hub, 0.50), Q(hub, 0.99), hub.Length, Q(pageLatencies, 0.99), pageErrors);
        Console.WriteLine($"{label}: {phase}");
        return phase;
    }

    async Task<(List<double> Latencies, int Errors)> PagesAsync(Func<bool> running)
    {
        var latencies = new List<double>();
        var errors = 0;
        using var visitor = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        for (var i = 0; running(); i++)
        {
            var path = i % 2 == 0 ? "/" : $"/stations/{honest[i / 2 % WatchedStations].Id}";
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await visitor.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK) errors++;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                errors++;
            }
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            await Task.Delay(50);
        }
        return (latencies, errors);
    }

    // Subscribe to the watched topics over a raw WebSocket (RawHubSocket, shared with the live-hub tests), then never
    // read: the kernel buffers fill and stay full. The portal closes such a socket after its send timeout; the attacker
    // comes back with a fresh one, as the issue's did (five sockets, 8 s apart).
    async Task NonReadingSocketsAsync(int count, CancellationToken stop)
    {
        var sockets = new List<RawHubSocket>();
        var opened = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // Dropped by the server (seen without reading the backlog)? Replaced by a fresh one.
                sockets.RemoveAll(s => { if (!s.LooksClosed()) return false; s.Dispose(); return true; });
                while (sockets.Count < count)
                {
                    var socket = await RawHubSocket.ConnectAsync(server, stop, receiveBufferSize: 4096);
                    foreach (var topic in watched) await socket.InvokeAsync("Subscribe", topic, null, stop);
                    sockets.Add(socket);
                    opened++;
                }
                await Task.Delay(TimeSpan.FromSeconds(8), stop);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            attackReport["non-reading hub sockets"] = $"{opened} opened, then: {e.Message}";
        }
        finally
        {
            attackReport.TryAdd("non-reading hub sockets", $"{opened} opened ({count} at a time), each subscribed to {watched.Length} topics and never reading");
            foreach (var s in sockets) s.Dispose();
        }
    }

    async Task ResubscribeAsync(int count, CancellationToken stop)
    {
        await using var attacker = Hub(baseUri);
        long received = 0;
        attacker.On<JsonElement>("turnout", e => Interlocked.Add(ref received, e.GetRawText().Length));
        attacker.On<JsonElement>("results", e => Interlocked.Add(ref received, e.GetRawText().Length));
        var sent = 0;
        try
        {
            await attacker.StartAsync(stop);
            for (; sent < count && !stop.IsCancellationRequested && attacker.State == HubConnectionState.Connected; sent++)
                await attacker.SendAsync("Subscribe", watched[0], stop);
            await Task.Delay(Timeout.Infinite, stop);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or InvalidOperationException)
        {
        }
        attackReport["re-subscribes"] = $"{sent:N0} Subscribe({watched[0]}) sent on one connection ({attacker.State} at the end), {Interlocked.Read(ref received) / 1048576.0:F1} MiB of messages received";
    }

    // Signed (the device is real) but impossible: an overflowing count, a report from 2099, one from 1970.
    async Task ImplausibleReportsAsync(CancellationToken stop)
    {
        var statuses = new ConcurrentDictionary<int, int>();
        var faulty = stations.Skip(HonestStations).Take(10).ToArray();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var s = faulty[i % faulty.Length];
            var body = (i % 3) switch
            {
                0 => ProtocolFactory.Turnout($"faulty-{i}", DateTimeOffset.UtcNow, int.MaxValue, null),
                1 => ProtocolFactory.Turnout($"faulty-{i}", new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), 10, s.OnList),
                _ => ProtocolFactory.Turnout($"faulty-{i}", DateTimeOffset.UnixEpoch, 10, s.OnList),
            };
            try
            {
                using var response = await client.PostTurnoutAsync(s.Id, body, stop);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                await Task.Delay(20, stop);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
            {
            }
        }
        attackReport["implausible reports"] = string.Join(", ", statuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} x{kv.Value}"));
    }

    // Pages of 5,000 entries asked for at different offsets, so no cache can answer them.
    async Task BigLedgerPagesAsync(int count, CancellationToken stop)
    {
        using var reader = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(60) };
        var head = await reader.GetFromJsonAsync<JsonElement>("/api/v1/ledger/head", stop);
        var last = Math.Max(1, head.GetProperty("seq").GetInt64());
        long bytes = 0, done = 0;
        var statuses = new ConcurrentDictionary<int, int>();
        var watch = Stopwatch.StartNew();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = stop }, async (i, ct) =>
            {
                using var response = await reader.GetAsync($"/api/v1/ledger?after={i * 7919L % last}&limit=5000", ct);
                var body = await response.Content.ReadAsByteArrayAsync(ct);
                statuses.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                Interlocked.Add(ref bytes, body.Length);
                Interlocked.Increment(ref done);
            });
        }
        catch (OperationCanceledException)
        {
        }
        attackReport["big ledger pages"] = $"{Interlocked.Read(ref done)} of {count} pages in {watch.Elapsed.TotalSeconds:F1} s, {Interlocked.Read(ref bytes) / 1048576.0:F1} MiB ({string.Join(", ", statuses.Select(kv => $"{kv.Key} x{kv.Value}"))})";
    }
}
finally
{
    if (!portal.HasExited) { portal.Kill(entireProcessTree: true); await portal.WaitForExitAsync(); }
    try { Directory.Delete(dataDir, true); } catch (IOException) { }
}
return exit;

static void Row(string name, double alone, double attacked, string format) =>
    Console.WriteLine($"{name,-40} {alone.ToString(format, CultureInfo.InvariantCulture),12} {attacked.ToString(format, CultureInfo.InvariantCulture),12} " +
        $"{(alone == 0 ? "-" : (attacked / alone).ToString("F2", CultureInfo.InvariantCulture) + "x"),8}");

static double Q(IEnumerable<double> values, double q)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}

static HubConnection Hub(Uri baseUri) => new HubConnectionBuilder()
    .WithUrl(new Uri(baseUri, "/hubs/live"), o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; })
    .Build();

static string OpenFileLimit() =>
    File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal))?["Max open files".Length..]
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)[0] ?? "unknown";

static int FreePort()
{
    using var l = new TcpListener(IPAddress.Loopback, 0);
    l.Start();
    return ((IPEndPoint)l.LocalEndpoint).Port;
}

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException("run from the repository");
}

int Arg(string name, int fallback) =>
    int.TryParse(args.SkipWhile(a => a != name).Skip(1).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : fallback;

/// <summary>The part of a live envelope the viewer reads.</summary>
internal sealed record Stamp(string Topic, DateTimeOffset SentAt);

/// <summary>What normal users got in one phase.</summary>
internal sealed record Phase(double PerSecond, double SubmitP99, int NotAccepted, double HubP50, double HubP99, int HubCount, double PageP99, int PageErrors)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{PerSecond:F0} signed submissions/s (p99 {SubmitP99:F1} ms, {NotAccepted} not 2xx); hub p50 {HubP50:F0} ms, p99 {HubP99:F0} ms ({HubCount} messages); page p99 {PageP99:F1} ms ({PageErrors} errors)");
}
