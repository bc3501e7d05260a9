// Viewer load on the live hub: N anonymous SignalR connections (WebSockets), each subscribed to the election topic and one
// of 100 station topics, while signed turnout reports stream in through the station API. Prints connections held,
// delivery latency (server send stamp -> client receive, same machine clock) p50/p99, messages/s, and the server's
// memory per connection (RSS of the portal process it starts, before and after connecting).
//
//   dotnet run -c Release --project infra/bench/viewers -- [viewers=2000] [seconds=30] [reportsPerSecond=200]
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

var viewers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
var reportsPerSecond = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;
const int StationTopics = 100;
// Thousands of sockets' callbacks in one process: do not wait for the thread pool to ramp up.
ThreadPool.SetMinThreads(Environment.ProcessorCount * 16, Environment.ProcessorCount * 16);

var root = FindRoot();
var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
var portalDll = Path.Combine(root, "src", "Portal", "bin", configuration, "net10.0", "Portal.dll");
var dataDir = Directory.CreateTempSubdirectory("bench-viewers-").FullName;
var port = FreePort();
var baseUri = new Uri($"http://127.0.0.1:{port}");

var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(portalDll)! };
foreach (var a in new[] { portalDll, "--urls", baseUri.ToString(), "--data-dir", dataDir, "--Demo:Stations", "1500", "--Demo:ActiveCameraStations", "0",
             "--Gateway:DataDir", Path.Combine(dataDir, "video"), "--Cluster:SiloPort", FreePort().ToString(CultureInfo.InvariantCulture),
             "--Cluster:GatewayPort", FreePort().ToString(CultureInfo.InvariantCulture),
             // The benchmark connects every viewer from one address.
             "--PublicWeb:HubRequestsPerWindow", "1000000", "--PublicWeb:ApiRequestsPerWindow", "1000000", "--Serilog:MinimumLevel:Default", "Warning" })
    info.ArgumentList.Add(a);
info.Environment["DOTNET_ENVIRONMENT"] = "Production";
using var portal = Process.Start(info)!;
portal.OutputDataReceived += (_, _) => { };
portal.ErrorDataReceived += (_, _) => { };
portal.BeginOutputReadLine();
portal.BeginErrorReadLine();
try
{
    using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
    await WaitReadyAsync(http);
    var election = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dataDir, "demo", "election.json"))).RootElement;
    var electionId = election.GetProperty("id").GetString()!;
    var stations = election.GetProperty("stations").EnumerateArray().Take(StationTopics)
        .Select(s => (Id: s.GetProperty("id").GetString()!, OnList: s.GetProperty("votersOnList").GetInt32())).ToArray();
    var client = new StationClient(http, StationClient.Index(StationKeyFiles.ReadPrivate(Path.Combine(dataDir, "demo", "station-private-keys.csv"))));

    // Warm the grains and the hub path before measuring memory.
    await using (var warm = Connect(baseUri)) { await warm.StartAsync(); await warm.InvokeAsync("Subscribe", $"election:{electionId}"); }
    await Task.Delay(2000);
    var rssBefore = Rss(portal.Id);

    var latencies = new ConcurrentQueue<double>();
    long received = 0;
    var measuring = false;
    var connections = new HubConnection[viewers];
    var connectWatch = Stopwatch.StartNew();
    var failed = 0;
    await Parallel.ForEachAsync(Enumerable.Range(0, viewers), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
    {
        var c = Connect(baseUri);
        void Handler(JsonElement e)
        {
            Interlocked.Increment(ref received);
            if (!Volatile.Read(ref measuring)) return;
            var sent = e.GetProperty("sentAt").GetDateTimeOffset();
            latencies.Enqueue((DateTimeOffset.UtcNow - sent).TotalMilliseconds);
        }
        c.On<JsonElement>("turnout", Handler);
        c.On<JsonElement>("results", Handler);
        try
        {
            await c.StartAsync(ct);
            await c.InvokeAsync("Subscribe", $"election:{electionId}", ct);
            await c.InvokeAsync("Subscribe", $"station:{electionId}:{stations[i % stations.Length].Id}", ct);
            connections[i] = c;
        }
        catch (Exception) { Interlocked.Increment(ref failed); await c.DisposeAsync(); }
    });
    var connectTime = connectWatch.Elapsed;
    await Task.Delay(3000);
    GC.Collect();
    var rssAfter = Rss(portal.Id);
    var held = connections.Count(c => c?.State == HubConnectionState.Connected);
    Console.WriteLine($"viewers requested      {viewers:N0}");
    Console.WriteLine($"connections held       {held:N0} ({failed:N0} failed), connected in {connectTime.TotalSeconds:N1} s");
    Console.WriteLine($"server memory          {rssBefore / 1048576.0:N0} MiB -> {rssAfter / 1048576.0:N0} MiB: {(rssAfter - rssBefore) / (double)Math.Max(1, held) / 1024:N1} KiB per connection");

    // Load: signed cumulative turnout reports through the station API, spread over the 100 watched stations.
    Volatile.Write(ref measuring, true);
    Interlocked.Exchange(ref received, 0);
    var issued = new int[stations.Length];
    var start = DateTimeOffset.UtcNow;
    var posted = 0;
    var postErrors = 0;
    var load = Stopwatch.StartNew();
    var interval = TimeSpan.FromSeconds(1.0 / Math.Max(1, reportsPerSecond));
    var sends = new List<Task>();
    var refusals = new ConcurrentDictionary<int, int>();
    using var inFlight = new SemaphoreSlim(16);
    for (var n = 0; load.Elapsed < TimeSpan.FromSeconds(seconds); n++)
    {
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
    Volatile.Write(ref measuring, false);
    var elapsed = load.Elapsed.TotalSeconds;
    var all = latencies.ToArray();
    Array.Sort(all);
    double P(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(q * all.Length))];
    Console.WriteLine($"turnout reports        {posted:N0} accepted ({postErrors:N0} refused{(refusals.IsEmpty ? "" : ": " + string.Join(", ", refusals.Select(kv => $"{kv.Key} x{kv.Value}")))}) in {seconds} s");
    Console.WriteLine($"messages received      {Interlocked.Read(ref received):N0} ({Interlocked.Read(ref received) / elapsed:N0}/s over all viewers, {Interlocked.Read(ref received) / elapsed / Math.Max(1, held):N1}/s per viewer)");
    Console.WriteLine($"delivery latency       p50 {P(0.50):N0} ms, p99 {P(0.99):N0} ms, max {(all.Length == 0 ? double.NaN : all[^1]):N0} ms ({all.Length:N0} samples)");
    Console.WriteLine($"server memory at end   {Rss(portal.Id) / 1048576.0:N0} MiB; cpu {portal.TotalProcessorTime.TotalSeconds:N0} s total");
    await Parallel.ForEachAsync(connections.Where(c => c is not null), async (c, _) => await c.DisposeAsync());
}
finally
{
    if (!portal.HasExited) { portal.Kill(entireProcessTree: true); await portal.WaitForExitAsync(); }
    try { Directory.Delete(dataDir, true); } catch (IOException) { }
}

static HubConnection Connect(Uri baseUri) => new HubConnectionBuilder()
    .WithUrl(new Uri(baseUri, "/hubs/live"), o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; })
    .Build();

static async Task WaitReadyAsync(HttpClient http)
{
    var deadline = DateTime.UtcNow.AddMinutes(3);
    while (DateTime.UtcNow < deadline)
    {
        try { if ((await http.GetAsync("/healthz/ready")).IsSuccessStatusCode) return; } catch (HttpRequestException) { } catch (TaskCanceledException) { }
        await Task.Delay(500);
    }
    throw new TimeoutException("the portal did not become ready");
}

static long Rss(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    return 0;
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
