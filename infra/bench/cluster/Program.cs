using System.Diagnostics;
using System.Globalization;
using System.Net;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.Ingest.Simulation;
using Portal.Bench.Protocols;

// Cluster ledger benchmark: signed protocols posted over HTTP to real portal processes, in one run:
//   1. one embedded node (SQLite ledger, group commit) taking the whole load: the baseline;
//   2. the Redis chain alone (no HTTP, no Orleans): one writer for the chain, as the cluster's writer grain appends,
//      against three writers racing for the head, as each node appended before;
//   3. three cluster nodes on one redis-server (AOF, appendfsync always: one ledger chain) taking a third each.
// Prints durable protocols/s and ack p50/p99 of each and the cluster/one-node ratio. Then, on the three nodes, live-hub
// delivery: viewers (the .NET SignalR client) each subscribed to one of 20 station topics, signed turnout reports into
// node 1; delivery = report posted -> viewer has the figure, p50/p99, with every viewer on node 1 (one node) and with the
// viewers spread over the three nodes (across nodes), and the ratio. The driver shares the two cores.
//   dotnet infra/bench/cluster/bin/Release/net10.0/Portal.Bench.Cluster.dll [--stations 6000] [--concurrency 48] [--viewers 600 (0: no hub part)] [--portal path/to/Portal.dll]
var stations = Arg("--stations", 6000);
var concurrency = Arg("--concurrency", 48);
var viewers = Arg("--viewers", 600);
// Protocols posted (untimed) before each timed phase, so the nodes' JIT and grain activations are warm.
var warmup = Arg("--warmup", 0);
// The no-load CPU of a node, measured --idle s from --settle s after it answers ready (start-up work then done).
var settle = Arg("--settle", 3);
var idle = Arg("--idle", 5);
var idleOnly = args.Contains("--idle-only");
int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).DefaultIfEmpty(fallback).First();

// --portal: another build's Portal.dll (e.g. the main branch's, to compare two builds on the same box).
var portalDll = args.SkipWhile(a => a != "--portal").Skip(1).DefaultIfEmpty(PortalUnderTest.PortalDll()).First();
if (!File.Exists("/usr/bin/redis-server")) { Console.Error.WriteLine("needs redis-server: run infra/setup.sh"); return 2; }

var work = Directory.CreateTempSubdirectory("portal-bench-cluster-").FullName;
var children = new List<Process>();
try
{
    // An election whose polls closed an hour ago, so protocols are accepted now, on the real clock.
    var election = DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = stations, ActiveCameraStations = 0 });
    var now = DateTimeOffset.UtcNow;
    election.PollsOpen = now.AddHours(-13);
    election.PollsClose = now.AddHours(-1);
    var (publicKeys, privateKeys) = DemoElectionGenerator.GenerateKeys(election.Stations);
    var electionPath = Path.Combine(work, "election.json");
    ElectionDefinitionLoader.Save(election, electionPath);
    var keysPath = Path.Combine(work, "keys.csv");
    StationKeyFiles.WritePublic(keysPath, publicKeys);
    var catalog = new ElectionCatalog(election, publicKeys);
    var random = new Random(42);
    var items = new List<LoadItem>();
    foreach (var s in election.Stations)
        foreach (var (contestId, constituencyId) in s.Constituencies)
            items.Add(new LoadItem(s.Id, "protocols", StationClient.Serialize(ProtocolFactory.Protocol(random, $"{s.Id}-{contestId}-v1", contestId, s.VotersOnList,
                0.4 + random.NextDouble() * 0.45, catalog.FindConstituency(contestId, constituencyId)!.Candidates))));
    var keys = StationClient.Index(privateKeys);
    Console.WriteLine($"{stations} stations, {items.Count} protocols, {concurrency} concurrent connections in all; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

    string[] Node(string name, params string[] extra) =>
    [
        portalDll, "--election", electionPath, "--station-keys", keysPath, "--data-dir", Path.Combine(work, name),
        "--urls", $"http://127.0.0.1:{PortalUnderTest.FreePort()}", "--Management:Urls", $"http://127.0.0.1:{PortalUnderTest.FreePort()}",
        "--Cluster:SiloPort", $"{PortalUnderTest.FreePort()}", "--Cluster:GatewayPort", $"{PortalUnderTest.FreePort()}", "--Intake:MaxInFlight", "4096",
        // Every viewer and every request of the driver come from 127.0.0.1.
        "--PublicWeb:HubRequestsPerWindow", "1000000", "--PublicWeb:ApiRequestsPerWindow", "1000000", .. extra,
    ];

    // 1. One embedded node.
    var single = await StartNodesAsync([Node("single")]);
    if (idleOnly)
    {
        foreach (var p in single) { p.Kill(entireProcessTree: true); p.WaitForExit(); }
        single = [];
    }
    var (warm, timed) = (items.Take(warmup).ToList(), items.Skip(warmup).ToList());
    if (warm.Count > 0 && !idleOnly) await PostAsync("warm-up, one node", single, warm);
    var one = idleOnly ? default : await PostAsync("one node, SQLite ledger", single, timed);
    foreach (var p in single) { p.Kill(entireProcessTree: true); p.WaitForExit(); }

    // 2 and 3. The chain alone, then three cluster nodes, on one Redis.
    var redisPort = PortalUnderTest.FreePort();
    children.Add(PortalUnderTest.StartQuiet("redis-server", ["--port", $"{redisPort}", "--bind", "127.0.0.1", "--dir", work, "--save", "", "--appendonly", "yes", "--appendfsync", "always"]));
    await Task.Delay(500);
    // The chain alone: one writer for it against one writer per node racing for its head, same appenders.
    var redisConfiguration = $"127.0.0.1:{redisPort},abortConnect=false,syncTimeout=30000";
    if (idleOnly)
    {
        await StartNodesAsync([.. new[] { "n1", "n2", "n3" }.Select(n => Node(n, "--Cluster:Enabled", "true", "--Cluster:Redis", $"127.0.0.1:{redisPort}", "--Cluster:Role", "web",
            "--Gateway:DataDir", Path.Combine(work, "video")))]);
        return 0;
    }
    var oneWriter = await LedgerWriters.MeasureAsync("ledger only, one writer for the chain, 48 appenders", redisConfiguration, 1, 48, 20_000);
    var racing = await LedgerWriters.MeasureAsync("ledger only, three writers racing for the head, 16 appenders each", redisConfiguration, 3, 48, 20_000);
    Console.WriteLine($"ratio one writer / three racing writers: {oneWriter / racing:0.00}x appends/s");

    var cluster = new[] { "n1", "n2", "n3" }.Select(n => Node(n, "--Cluster:Enabled", "true", "--Cluster:Redis", $"127.0.0.1:{redisPort}", "--Cluster:Role", "web",
        "--Gateway:DataDir", Path.Combine(work, "video"))).ToArray();
    var nodes = await StartNodesAsync(cluster);
    if (warm.Count > 0) await PostAsync("warm-up, three nodes", nodes, warm);
    var three = await PostAsync("three nodes, Redis ledger", nodes, timed);

    Console.WriteLine();
    Console.WriteLine($"ratio three-node Redis / one-node SQLite: {three.PerSecond / one.PerSecond:0.00}x protocols/s, p99 {three.P99 / one.P99:0.00}x");

    if (viewers == 0) return 0; // --viewers 0: the ledger figures only
    var urls = nodes.Select(UrlOf).ToList();
    var hubStations = election.Stations.Where(s => s.VotersOnList >= 1000).Take(20).ToList();
    var local = await HubDelivery.MeasureAsync("hub, every viewer on node 1", [urls[0]], urls[0], election.Id, hubStations, keys, viewers);
    var spread = await HubDelivery.MeasureAsync("hub, viewers spread over the three nodes", urls, urls[0], election.Id, hubStations, keys, viewers, firstVoters: 400);
    Console.WriteLine();
    Console.WriteLine($"ratio across nodes / one node: delivery p50 {spread.P50 / local.P50:0.00}x, p99 {spread.P99 / local.P99:0.00}x");
    return 0;

    async Task<List<Process>> StartNodesAsync(string[][] arguments)
    {
        var started = arguments.Select(a => PortalUnderTest.StartQuiet("dotnet", a)).ToList();
        children.AddRange(started);
        foreach (var process in started)
        {
            using var http = new HttpClient { BaseAddress = UrlOf(process) };
            await PortalUnderTest.WaitReadyAsync(http);
        }
        // At least 3 s: station keys imported in the background (Intake:PreloadKeys) before the timed phase.
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(3, settle)));
        // What a node costs doing nothing (its timers, pollers, membership), which the timed phase pays on top.
        var idleBefore = started.Select(p => p.TotalProcessorTime).ToList();
        var threadsBefore = started.Select(p => ThreadCpu(p.Id)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(idle));
        Console.WriteLine($"idle CPU per node over {idle} s, {Math.Max(3, settle)} s after ready: {string.Join(", ", started.Select((p, i) => $"{(p.TotalProcessorTime - idleBefore[i]).TotalSeconds / idle:P0} of a core"))}");
        for (var i = 0; i < started.Count; i++)
        {
            var after = ThreadCpu(started[i].Id);
            var busiest = after.Select(kv => (Name: kv.Key, Ticks: kv.Value - threadsBefore[i].GetValueOrDefault(kv.Key))).Where(t => t.Ticks > 0)
                .OrderByDescending(t => t.Ticks).Take(6).Select(t => $"{t.Name} {t.Ticks * 10.0 / idle / 1000:P1}");
            Console.WriteLine($"  node {i + 1} idle, by thread: {string.Join(", ", busiest)}");
        }
        return started;
    }

    async Task<(double PerSecond, double P99)> PostAsync(string name, List<Process> nodes, List<LoadItem> load)
    {
        var urls = nodes.Select(UrlOf).ToList();
        using var http = new HttpClient { BaseAddress = urls[0] };
        var signed = new StationClient(http, keys).Presign(load);
        // Each node takes an equal share over its own connections, all at once.
        // By station, as the edge routes them (infra/cluster: hash of the station id), so a station's reports reach one node.
        var shares = urls.Select((u, i) => (Url: u, Items: signed.Where(item => StationShare(item.StationId, urls.Count) == i).ToList())).ToList();
        // CPU of every process of the run over the timed phase: where the two cores went.
        var cpuBefore = children.Where(c => !c.HasExited).ToDictionary(c => c, c => c.TotalProcessorTime);
        var driverBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var reports = await Task.WhenAll(shares.Select(s => RawHttpDriver.Prepare(s.Url, s.Items)
            .RunAsync(new IPEndPoint(IPAddress.Loopback, s.Url.Port), Math.Max(1, concurrency / urls.Count))));
        var elapsed = sw.Elapsed.TotalSeconds;
        var acked = reports.Sum(r => r.Acknowledged);
        var latencies = reports.SelectMany(r => r.LatenciesMs).Order().ToArray();
        double Pct(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
        Console.WriteLine();
        Console.WriteLine($"== {name}");
        Console.WriteLine($"{acked:N0} acknowledged of {load.Count:N0} ({reports.Sum(r => r.Rejected)} rejected, {reports.Sum(r => r.Throttled)} 429s) in {elapsed:0.0} s: " +
                          $"{acked / elapsed:N0} durable protocols/s, ack p50 {Pct(0.5):0.0} ms, p99 {Pct(0.99):0.0} ms");
        var cpu = cpuBefore.Select(kv => $"{(nodes.Contains(kv.Key) ? "node" : kv.Key.ProcessName)} {(kv.Key.TotalProcessorTime - kv.Value).TotalSeconds:0.0}");
        Console.WriteLine($"CPU s in the timed phase: {string.Join(", ", cpu)}, driver {(Process.GetCurrentProcess().TotalProcessorTime - driverBefore).TotalSeconds:0.0}");
        return (acked / elapsed, Pct(0.99));
    }
}
finally
{
    foreach (var child in Enumerable.Reverse(children))
        try { if (!child.HasExited) { child.Kill(entireProcessTree: true); child.WaitForExit(10_000); } } catch (InvalidOperationException) { }
    try { Directory.Delete(work, recursive: true); } catch (IOException) { }
}

/// <summary>CPU clock ticks (1/100 s) a process's threads used, summed by thread name (<c>/proc/PID/task/*/stat</c>).</summary>
static Dictionary<string, long> ThreadCpu(int pid)
{
    var byName = new Dictionary<string, long>();
    foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
    {
        string stat;
        try { stat = File.ReadAllText(Path.Combine(task, "stat")); } catch (IOException) { continue; }
        var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime are fields 14 and 15 of stat, the 12th and 13th after the name.
        byName[name] = byName.GetValueOrDefault(name) + long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }
    return byName;
}

/// <summary>Where a portal node the benchmark started listens: its <c>--urls</c> argument.</summary>
static Uri UrlOf(Process node) => new(node.StartInfo.ArgumentList[node.StartInfo.ArgumentList.IndexOf("--urls") + 1]);

// Stable within the run, which is all the split needs (the edge's own hash differs; any stable one keeps a station on one node).
static int StationShare(string stationId, int nodes) => (int)((uint)StringComparer.Ordinal.GetHashCode(stationId) % (uint)nodes);
