// Viewer load on the live hub: N anonymous SignalR connections (WebSockets), each subscribed to the election topic and one
// of 100 station topics, while signed turnout reports stream in through the station API. Prints connections held,
// delivery latency (server send stamp -> client receive, same machine clock) p50/p99, messages/s, and the server's
// memory per connection (RSS of the portal process it starts, before and after connecting).
//
//   dotnet infra/bench/viewers/bin/Release/net10.0/Portal.Bench.Viewers.dll [viewers=2000] [seconds=30] [reportsPerSecond=200] [driverProcesses=viewers/1000]
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Grains.Model;
using Portal.Ingest.Simulation;

if (args is ["--worker", ..]) { await Worker.RunAsync(args[1..]); return; }
var viewers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
var reportsPerSecond = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
var driverProcesses = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
// Reports flow this long before latencies are recorded, so neither process is measured while it still compiles its hot paths.
var warmup = TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("VIEWERS_WARMUP_SECONDS"), out var warmupSet) ? warmupSet : 5);
const int StationTopics = 100;

var root = FindRoot();
var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
var portalDll = Path.Combine(root, "src", "Portal", "bin", configuration, "net10.0", "Portal.dll");
var dataDir = Directory.CreateTempSubdirectory("bench-viewers-").FullName;
var port = FreePort();
var baseUri = new Uri($"http://127.0.0.1:{port}");
// Metrics are answered on the management listener only.
var managementUri = new Uri($"http://127.0.0.1:{FreePort()}");

var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(portalDll)! };
foreach (var a in new[] { portalDll, "--urls", baseUri.ToString(), "--Management:Urls", managementUri.ToString(), "--data-dir", dataDir, "--Demo:Stations", "1500", "--Demo:ActiveCameraStations", "0",
             "--Gateway:DataDir", Path.Combine(dataDir, "video"), "--Cluster:SiloPort", FreePort().ToString(CultureInfo.InvariantCulture),
             "--Cluster:GatewayPort", FreePort().ToString(CultureInfo.InvariantCulture),
             // The benchmark connects every viewer from one address.
             "--PublicWeb:HubRequestsPerWindow", "1000000", "--PublicWeb:ApiRequestsPerWindow", "1000000", "--Serilog:MinimumLevel:Default", "Warning" })
    info.ArgumentList.Add(a);
// Extra portal settings for experiments, e.g. VIEWERS_PORTAL_ARGS="--LiveFeed:FlushMilliseconds 500".
foreach (var a in (Environment.GetEnvironmentVariable("VIEWERS_PORTAL_ARGS") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
    info.ArgumentList.Add(a);
info.Environment["DOTNET_ENVIRONMENT"] = "Production";
using var portal = Process.Start(info)!;
portal.OutputDataReceived += (_, _) => { };
portal.ErrorDataReceived += (_, _) => { };
portal.BeginOutputReadLine();
portal.BeginErrorReadLine();
var workers = new List<Worker>();
try
{
    using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    await PortalUnderTest.WaitReadyAsync(http);
    var election = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dataDir, "demo", "election.json"))).RootElement;
    var electionId = election.GetProperty("id").GetString()!;
    var stations = election.GetProperty("stations").EnumerateArray().Take(StationTopics)
        .Select(s => (Id: s.GetProperty("id").GetString()!, OnList: s.GetProperty("votersOnList").GetInt32())).ToArray();
    var client = new StationClient(http, StationClient.Index(StationKeyFiles.ReadPrivate(Path.Combine(dataDir, "demo", "station-private-keys.csv"))));

    // Warm the grains and the hub path before measuring memory.
    await using (var warm = Worker.Connect(baseUri)) { await warm.StartAsync(); await warm.InvokeAsync("Subscribe", $"election:{electionId}"); }
    await Task.Delay(2000);
    var rssBefore = PortalUnderTest.Rss(portal.Id);

    // One probe connection keeps whole envelopes to report payload sizes; it is not counted among the viewers.
    var payloads = new ConcurrentDictionary<string, (long Count, long Bytes, int Max)>();
    var probe = Worker.Connect(baseUri);
    void Probe(JsonElement e)
    {
        var kind = e.GetProperty("topic").GetString()!.Split(':')[0];
        var size = e.GetRawText().Length;
        payloads.AddOrUpdate(kind, (1, size, size), (_, p) => (p.Count + 1, p.Bytes + size, Math.Max(p.Max, size)));
    }
    probe.On<JsonElement>("turnout", Probe);
    probe.On<JsonElement>("results", Probe);
    await probe.StartAsync();
    await probe.InvokeAsync("Subscribe", $"election:{electionId}");
    await probe.InvokeAsync("Subscribe", $"station:{electionId}:{stations[0].Id}");

    // The viewers live in driver processes started from this one (one by default; more is an option, but on two cores
    // every extra process costs its own JIT and GC and measured no better).
    var workerCount = Math.Max(1, Math.Min(driverProcesses, viewers));
    var connectWatch = Stopwatch.StartNew();
    for (var w = 0; w < workerCount; w++)
    {
        var from = (int)((long)viewers * w / workerCount);
        var to = (int)((long)viewers * (w + 1) / workerCount);
        workers.Add(Worker.Start(baseUri, electionId, stations.Select(s => s.Id).ToArray(), from, to - from, dataDir));
    }
    var ready = await Task.WhenAll(workers.Select(w => w.ReadLineAsync()));
    var connectTime = connectWatch.Elapsed;
    var held = ready.Sum(r => int.Parse(r.Split(' ')[1], CultureInfo.InvariantCulture));
    var failed = ready.Sum(r => int.Parse(r.Split(' ')[2], CultureInfo.InvariantCulture));
    portal.Refresh();
    var (idlePortal, idleDriver) = (portal.TotalProcessorTime, workers.Select(w => w.CpuTime).ToArray());
    var idleSeconds = int.TryParse(Environment.GetEnvironmentVariable("VIEWERS_IDLE_SECONDS"), out var idleSet) ? idleSet : 3;
    Console.WriteLine($"all connected, idle for {idleSeconds} s");
    await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
    portal.Refresh();
    var idleCpu = ((portal.TotalProcessorTime - idlePortal).TotalSeconds / idleSeconds, workers.Select((w, i) => (w.CpuTime - idleDriver[i]).TotalSeconds).Sum() / idleSeconds);
    var rssAfter = PortalUnderTest.Rss(portal.Id);
    Console.WriteLine($"viewers requested      {viewers:N0} in {workerCount} driver processes");
    Console.WriteLine($"connections held       {held:N0} ({failed:N0} failed), connected in {connectTime.TotalSeconds:N1} s");
    Console.WriteLine($"cpu while idle         portal {idleCpu.Item1:P0} of a core, driver {idleCpu.Item2:P0} of a core (connections held, no updates)");
    Console.WriteLine($"server memory          {rssBefore / 1048576.0:N0} MiB -> {rssAfter / 1048576.0:N0} MiB: {(rssAfter - rssBefore) / (double)Math.Max(1, held) / 1024:N1} KiB per connection");

    // Load: signed cumulative turnout reports through the station API, spread over the 100 watched stations.
    var issued = new int[stations.Length];
    var start = DateTimeOffset.UtcNow;
    var posted = 0;
    var postErrors = 0;
    var gcBefore = Array.Empty<long>();
    var portalCpuStart = TimeSpan.Zero;
    var driverCpuStart = Array.Empty<TimeSpan>();
    var machineStart = 0.0;
    var postedBeforeStart = 0;
    var measured = new Stopwatch();
    var load = Stopwatch.StartNew();
    var interval = TimeSpan.FromSeconds(1.0 / Math.Max(1, reportsPerSecond));
    var sends = new List<Task>();
    var refusals = new ConcurrentDictionary<int, int>();
    using var inFlight = new SemaphoreSlim(16);
    for (var n = 0; load.Elapsed < warmup + TimeSpan.FromSeconds(seconds); n++)
    {
        if (!measured.IsRunning && load.Elapsed >= warmup)
        {
            gcBefore = await PortalGcAsync(http, managementUri);
            portal.Refresh();
            portalCpuStart = portal.TotalProcessorTime;
            driverCpuStart = [.. workers.Select(w => w.CpuTime)];
            machineStart = MachineCpu();
            postedBeforeStart = Volatile.Read(ref posted);
            foreach (var w in workers) await w.SendAsync("go");
            measured.Start();
        }
        var s = n % stations.Length;
        var value = Math.Min(stations[s].OnList, Interlocked.Increment(ref issued[s]));
        var body = new { submissionId = Guid.NewGuid().ToString(), asOf = start.AddSeconds(n), votersIssuedBallots = value };
        await inFlight.WaitAsync();
        sends.Add(Task.Run(async () =>
        {
            try
            {
                using var r = await client.PostTurnoutAsync(stations[s].Id, body);
                if (r.IsSuccessStatusCode) Interlocked.Increment(ref posted);
                else { Interlocked.Increment(ref postErrors); refusals.AddOrUpdate((int)r.StatusCode, 1, (_, c) => c + 1); }
            }
            catch (Exception) { Interlocked.Increment(ref postErrors); refusals.AddOrUpdate(0, 1, (_, c) => c + 1); }
            finally { inFlight.Release(); }
        }));
        var due = interval * (n + 1);
        if (due > load.Elapsed) await Task.Delay(due - load.Elapsed);
    }
    await Task.WhenAll(sends);
    await Task.Delay(2000);
    foreach (var w in workers) await w.SendAsync("stop");
    var done = await Task.WhenAll(workers.Select(w => w.ReadLineAsync()));
    var elapsed = measured.Elapsed.TotalSeconds;
    var gcAfter = await PortalGcAsync(http, managementUri);
    portal.Refresh();
    var portalCpu = (portal.TotalProcessorTime - portalCpuStart).TotalSeconds;
    var driverCpu = workers.Select((w, i) => (w.CpuTime - driverCpuStart[i]).TotalSeconds).Sum();
    var machineCpu = MachineCpu() - machineStart;
    var received = done.Sum(d => long.Parse(d.Split(' ')[1], CultureInfo.InvariantCulture));
    var electionOnly = workers.SelectMany(w => Worker.ReadSamples(w.SamplesPath + ".election")).ToArray();
    var stationOnly = workers.SelectMany(w => Worker.ReadSamples(w.SamplesPath + ".station")).ToArray();
    var freshness = workers.SelectMany(w => Worker.ReadSamples(w.SamplesPath + ".fresh")).ToArray();
    var all = electionOnly.Concat(stationOnly).ToArray();
    Array.Sort(all);
    Array.Sort(electionOnly);
    Array.Sort(stationOnly);
    Array.Sort(freshness);
    static double Q(double[] a, double q) => a.Length == 0 ? double.NaN : a[Math.Min(a.Length - 1, (int)(q * a.Length))];
    double P(double q) => Q(all, q);
    Console.WriteLine($"turnout reports        {posted - postedBeforeStart:N0} accepted ({postErrors:N0} refused{(refusals.IsEmpty ? "" : ": " + string.Join(", ", refusals.Select(kv => $"{kv.Key} x{kv.Value}")))}) in {seconds} s");
    Console.WriteLine($"messages received      {received:N0} ({received / elapsed:N0}/s over all viewers, {received / elapsed / Math.Max(1, held):N1}/s per viewer)");
    Console.WriteLine($"delivery latency       p50 {P(0.50):N0} ms, p99 {P(0.99):N0} ms, max {(all.Length == 0 ? double.NaN : all[^1]):N0} ms ({all.Length:N0} samples)");
    Console.WriteLine($"  election topic       p50 {Q(electionOnly, 0.50):N0} ms, p99 {Q(electionOnly, 0.99):N0} ms ({electionOnly.Length:N0}); station topics p50 {Q(stationOnly, 0.50):N0} ms, p99 {Q(stationOnly, 0.99):N0} ms ({stationOnly.Length:N0})");
    Console.WriteLine($"freshness              p50 {Q(freshness, 0.50):N0} ms, p99 {Q(freshness, 0.99):N0} ms (state produced by a grain -> viewer, includes the coalescing windows)");
    foreach (var (kind, p) in payloads.OrderBy(kv => kv.Key))
        Console.WriteLine($"payload ({kind,-8})     avg {p.Bytes / Math.Max(1, p.Count):N0} B, max {p.Max:N0} B of state+envelope ({p.Count:N0} seen by one viewer)");
    Console.WriteLine($"cpu during load        portal {portalCpu:N1} s, driver {driverCpu:N1} s over {elapsed:N0} s ({(portalCpu + driverCpu) / elapsed / Environment.ProcessorCount:P0} of {Environment.ProcessorCount} cores); portal GCs gen0/1/2 {string.Join("/", gcAfter.Zip(gcBefore, (a, b) => a - b))}");
    Console.WriteLine($"other processes        {Math.Max(0, machineCpu - portalCpu - driverCpu):N1} s of CPU during the load (the machine's busy time minus portal and driver)");
    Console.WriteLine($"server memory at end   {PortalUnderTest.Rss(portal.Id) / 1048576.0:N0} MiB; cpu {portal.TotalProcessorTime.TotalSeconds:N0} s total");
    await probe.DisposeAsync();
    foreach (var w in workers) await w.SendAsync("exit");
    foreach (var w in workers) await w.WaitAsync();
}
finally
{
    foreach (var w in workers) w.Kill();
    if (!portal.HasExited) { portal.Kill(entireProcessTree: true); await portal.WaitForExitAsync(); }
    try { Directory.Delete(dataDir, true); } catch (IOException) { }
}

// Busy CPU seconds of the whole machine so far (/proc/stat: everything but idle and iowait).
static double MachineCpu()
{
    var f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
    return (f.Sum() - f[3] - f[4]) / 100.0;
}

// The portal's own GC counts (prometheus-net's runtime metrics), gen0/1/2.
static async Task<long[]> PortalGcAsync(HttpClient http, Uri managementUri)
{
    var text = await http.GetStringAsync(new Uri(managementUri, "/metrics"));
    return [.. new[] { "0", "1", "2" }.Select(g => text.Split('\n').Where(l => l.StartsWith($"dotnet_collection_count_total{{generation=\"{g}\"}}", StringComparison.Ordinal))
        .Select(l => long.Parse(l.Split(' ')[1], CultureInfo.InvariantCulture)).FirstOrDefault())];
}

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

/// <summary>The part of a live envelope the driver reads.</summary>
internal sealed record Stamp(string Topic, DateTimeOffset ProducedAt, DateTimeOffset SentAt);

/// <summary>
/// A driver process holding a share of the viewers. Protocol on stdin/stdout: it prints "ready held failed" once
/// connected, starts recording on "go", stops on "stop" (writes its samples, prints "done received"), leaves on "exit".
/// </summary>
internal sealed class Worker(Process process, string samplesPath)
{
    public string SamplesPath { get; } = samplesPath;

    public TimeSpan CpuTime { get { process.Refresh(); return process.HasExited ? TimeSpan.Zero : process.TotalProcessorTime; } }

    public static Worker Start(Uri baseUri, string electionId, string[] stations, int first, int count, string dir)
    {
        var samples = Path.Combine(dir, $"samples-{first}");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true };
        if (Environment.GetEnvironmentVariable("VIEWERS_DRIVER_SPINLIMIT") is { } spin) info.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = spin;
        foreach (var a in new[] { typeof(Worker).Assembly.Location, "--worker", baseUri.ToString(), electionId, string.Join(',', stations),
                     first.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture), samples })
            info.ArgumentList.Add(a);
        return new Worker(Process.Start(info)!, samples);
    }

    public async Task<string> ReadLineAsync() =>
        await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("a driver process ended early");

    public async Task SendAsync(string command)
    {
        await process.StandardInput.WriteLineAsync(command);
        await process.StandardInput.FlushAsync();
    }

    public Task WaitAsync() => process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
    }

    public static double[] ReadSamples(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(bytes).ToArray();
    }

    public static async Task RunAsync(string[] args)
    {
        var baseUri = new Uri(args[0]);
        var electionId = args[1];
        var stations = args[2].Split(',');
        var first = int.Parse(args[3], CultureInfo.InvariantCulture);
        var count = int.Parse(args[4], CultureInfo.InvariantCulture);
        var samplesPath = args[5];
        // A burst of connects and thousands of socket callbacks: do not wait for the thread pool to ramp up.
        ThreadPool.SetMinThreads(Environment.ProcessorCount * 8, Environment.ProcessorCount * 8);

        var election = new ConcurrentQueue<double>();
        var station = new ConcurrentQueue<double>();
        var fresh = new ConcurrentQueue<double>();
        long received = 0;
        var measuring = false;
        var connections = new HubConnection[count];
        var failed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var c = Connect(baseUri);
            // The receive time is taken first thing in the handler, which the client calls as soon as it has parsed the
            // message; the handler binds only topic and stamps (the JSON protocol skips the state): rendering is the
            // browser's cost, the driver measures delivery.
            void Handler(Stamp e)
            {
                var now = DateTimeOffset.UtcNow;
                Interlocked.Increment(ref received);
                if (!Volatile.Read(ref measuring)) return;
                (e.Topic.StartsWith("station:", StringComparison.Ordinal) ? station : election).Enqueue((now - e.SentAt).TotalMilliseconds);
                fresh.Enqueue((now - e.ProducedAt).TotalMilliseconds);
            }
            c.On<Stamp>("turnout", Handler);
            c.On<Stamp>("results", Handler);
            try
            {
                await c.StartAsync(ct);
                await c.InvokeAsync("Subscribe", $"election:{electionId}", ct);
                await c.InvokeAsync("Subscribe", $"station:{electionId}:{stations[(first + i) % stations.Length]}", ct);
                connections[i] = c;
            }
            catch (Exception) { Interlocked.Increment(ref failed); await c.DisposeAsync(); }
        });
        var held = connections.Count(c => c?.State == HubConnectionState.Connected);
        Console.WriteLine($"ready {held} {failed}");
        while (await Console.In.ReadLineAsync() is { } command)
        {
            switch (command)
            {
                case "go":
                    Interlocked.Exchange(ref received, 0);
                    Volatile.Write(ref measuring, true);
                    break;
                case "stop":
                    Volatile.Write(ref measuring, false);
                    Write(samplesPath + ".election", election);
                    Write(samplesPath + ".station", station);
                    Write(samplesPath + ".fresh", fresh);
                    Console.WriteLine($"done {Interlocked.Read(ref received)}");
                    break;
                case "exit":
                    await Parallel.ForEachAsync(connections.Where(c => c is not null), async (c, _) => await c.DisposeAsync());
                    return;
            }
        }
    }

    private static void Write(string path, ConcurrentQueue<double> samples) =>
        File.WriteAllBytes(path, System.Runtime.InteropServices.MemoryMarshal.AsBytes(samples.ToArray().AsSpan()).ToArray());

    public static HubConnection Connect(Uri baseUri) => new HubConnectionBuilder()
        .WithUrl(new Uri(baseUri, "/hubs/live"), o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; })
        .Build();
}
