using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Bench.Protocols;
using Portal.Grains;
using Portal.Grains.Abstractions;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.Apis;
using Portal.Ingest.Apis;
using Portal.Ingest.Extensions;
using Portal.Ingest.Simulation;
using Portal.Ingest.Stations;

// Protocol intake benchmark (issue 3): a generated election, every protocol signed with the station's real ECDSA key and
// posted over HTTP by a concurrent driver to a co-hosted portal (Kestrel + silo + SQLite ledger on disk).
// Usage: bench-protocols [--stations 100000] [--concurrency 64] [--baseline 3000] [--driver raw|httpclient] [--no-preload] [--data-dir DIR]
var stations = Arg("--stations", 100_000);
var concurrency = Arg("--concurrency", 64);
var baselineCount = Arg("--baseline", 3_000);
// --driver raw (default): requests rendered to bytes before the timed phase and written on raw keep-alive connections
// (RawHttpDriver, like wrk); --driver httpclient: HttpClient per request (LoadDriver, what the simulator uses).
var rawDriver = (args.SkipWhile(a => a != "--driver").Skip(1).FirstOrDefault() ?? "raw") == "raw";
// --no-preload: Intake:PreloadKeys=false, each station's public key imported on its first request (as before).
var preloadKeys = !args.Contains("--no-preload");
var givenDataRoot = args.SkipWhile(a => a != "--data-dir").Skip(1).FirstOrDefault();
// Without --data-dir the ledgers (about 300 MB a run) go to a temp dir that is removed at the end.
var dataRoot = givenDataRoot ?? Directory.CreateTempSubdirectory("bench-protocols-").FullName;
var inv = CultureInfo.InvariantCulture;

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; " +
    $"GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, background GC {(System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.Batch ? "off" : "on")}, " +
    $"LOH threshold {AppContext.GetData("System.GC.LOHThreshold") ?? "default"}");
Console.WriteLine($"signature verifications per second on one core: {VerifyPerSecond(cachedKey: true):F0} with the imported key cached (the intake's path), {VerifyPerSecond(cachedKey: false):F0} importing the key each time");
// The ledger alone (no HTTP, no ECDSA): what group commit buys when fsync, not CPU, is the limit.
var ledgerOn = await LedgerOnlyAsync(Path.Combine(dataRoot, "ledger-only-on.db"), groupCommit: true, count: 20_000);
var ledgerOff = await LedgerOnlyAsync(Path.Combine(dataRoot, "ledger-only-off.db"), groupCommit: false, count: 2_000);
Console.WriteLine($"ledger only, {concurrency} concurrent appenders: group commit ON {ledgerOn:F0} appends/s, OFF {ledgerOff:F0} appends/s, ratio {ledgerOn / ledgerOff:F1}x");

var sw = Stopwatch.StartNew();
var election = DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = stations, ActiveCameraStations = 0 });
var (publicKeys, privateKeys) = DemoElectionGenerator.GenerateKeys(election.Stations);
var catalog = new ElectionCatalog(election, publicKeys);
var random = new Random(42);
var items = new List<LoadItem>();
// By body array: the pre-signed copy of an item shares its body with the original.
var bodyOf = new Dictionary<byte[], Dictionary<string, object?>>(ReferenceEqualityComparer.Instance);
foreach (var s in election.Stations)
    foreach (var (contestId, constituencyId) in s.Constituencies)
    {
        var body = ProtocolFactory.Protocol(random, $"{s.Id}-{contestId}-v1", contestId, s.VotersOnList, 0.4 + random.NextDouble() * 0.45,
            catalog.FindConstituency(contestId, constituencyId)!.Candidates);
        var item = new LoadItem(s.Id, "protocols", StationClient.Serialize(body));
        bodyOf[item.Body] = body;
        items.Add(item);
    }
var order = new Random(7);
var shuffled = items.OrderBy(_ => order.Next()).ToList();
Console.WriteLine($"generated {stations} stations, {items.Count} protocols, keys in {sw.Elapsed.TotalSeconds:F1} s");

// Group commit on: every protocol.
var on = await RunAsync(Path.Combine(dataRoot, "group-commit"), groupCommit: true, shuffled, measureTotals: true);
// Group commit off: the baseline (a subset; one fsync per protocol makes the whole set take too long).
var off = await RunAsync(Path.Combine(dataRoot, "no-group-commit"), groupCommit: false, shuffled.Take(baselineCount).ToList(), measureTotals: false);
Console.WriteLine();
Console.WriteLine($"group commit ON : {on.Report.Acknowledged} acked, {on.Report.PerSecond:F0} protocols/s, p50 {on.Report.Percentile(50):F1} ms, p99 {on.Report.Percentile(99):F1} ms, rejected {on.Report.Rejected}, 429s {on.Report.Throttled}");
Console.WriteLine($"group commit OFF: {off.Report.Acknowledged} acked, {off.Report.PerSecond:F0} protocols/s, p50 {off.Report.Percentile(50):F1} ms, p99 {off.Report.Percentile(99):F1} ms");
Console.WriteLine($"group commit speed-up: {on.Report.PerSecond / off.Report.PerSecond:F1}x");
Console.WriteLine($"last ack -> national totals equal the acknowledged protocols: {on.Settle.TotalMilliseconds:F0} ms; consistency: {on.Consistency}");
if (givenDataRoot is null) Directory.Delete(dataRoot, recursive: true);
else Console.WriteLine($"data kept in {dataRoot}");
return on.Consistency == "exact" ? 0 : 1;

async Task<(LoadReport Report, TimeSpan Settle, string Consistency)> RunAsync(string dir, bool groupCommit, List<LoadItem> load, bool measureTotals)
{
    var builder = WebApplication.CreateBuilder();
    builder.Logging.ClearProviders();
    builder.WebHost.UseUrls("http://127.0.0.1:0");
    builder.Configuration["data-dir"] = dir;
    builder.Configuration["Ledger:GroupCommit"] = groupCommit.ToString(inv);
    builder.Configuration["Intake:MaxInFlight"] = "4096";
    builder.Configuration["Intake:PreloadKeys"] = preloadKeys.ToString(inv);
    builder.Services.AddSingleton(catalog);
    builder.Services.AddSingleton(ElectionClock.FromTimeProvider(catalog, new FixedTime(election.PollsClose.AddHours(1))));
    builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort(), FreePort()).AddMemoryGrainStorage(GrainStorageNames.Default));
    builder.AddStationApi();
    builder.AddPublicReadApi();
    await using var app = builder.Build();
    app.MapStationApi();
    app.MapPublicReadApi();
    await app.StartAsync();
    // The portal imports every station's public key in the background after start (Intake:PreloadKeys); on election
    // day that happens hours before polls close. Wait for it, so it does not run inside the timed phase.
    var preload = Stopwatch.StartNew();
    var preloaded = await app.Services.GetRequiredService<StationKeyPreloader>().Completed;
    Console.WriteLine($"portal started; imported {preloaded} station public keys in the background in {preload.Elapsed.TotalSeconds:F1} s");
    using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(2) };
    var client = new StationClient(http, StationClient.Index(privateKeys));
    // The driver signs every request before the timed phase (a load generator's preparation, not server work): signing
    // on the same two cores during the run would measure the driver as much as the portal. The timestamps are taken
    // now, so the run must finish within the server's 300 s window (late requests would be rejected and counted).
    var presign = Stopwatch.StartNew();
    var signed = client.Presign(load);
    var raw = rawDriver ? RawHttpDriver.Prepare(http.BaseAddress!, signed) : null;
    Console.WriteLine($"{(groupCommit ? "group commit ON" : "group commit OFF")}: signed {load.Count} protocols in {presign.Elapsed.TotalSeconds:F1} s (before the timed phase); posting with {concurrency} concurrent clients ({(rawDriver ? "raw HTTP/1.1 driver, requests prepared" : "HttpClient driver")}) ...");
    var acked = new System.Collections.Concurrent.ConcurrentBag<LoadItem>();
    Action<LoadItem, HttpStatusCode> onResult = (item, status) => { if (status is HttpStatusCode.Created or HttpStatusCode.OK) acked.Add(item); };
    var (pauseBefore, gen2Before, maxPauseBefore) = (GC.GetTotalPauseDuration(), GC.CollectionCount(2), MaxGen2Pause());
    var report = raw is not null
        ? await raw.RunAsync(new IPEndPoint(IPAddress.Loopback, http.BaseAddress!.Port), concurrency, onResult)
        : await LoadDriver.RunAsync(client, signed, concurrency, onResult);
    var lastAck = Stopwatch.StartNew();
    Console.WriteLine($"  {report.Acknowledged} acked in {report.Elapsed.TotalSeconds:F1} s; time inside the server: {IntakeMetrics.Describe()}");
    // The process's GC during the timed phase (driver and portal share it): what the heap of 100,000 station grains costs.
    var maxPause = MaxGen2Pause();
    Console.WriteLine($"  GC in the timed phase: {GC.CollectionCount(2) - gen2Before} gen2 collections, threads paused {(GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds:F0} ms in all" +
        (maxPause != maxPauseBefore ? $", last gen2 pause {maxPause.TotalMilliseconds:F0} ms" : "") + $", heap {GC.GetGCMemoryInfo().HeapSizeBytes / (1 << 20)} MiB");
    IntakeMetrics.VerifyTicks = IntakeMetrics.GrainTicks = 0;
    var settle = TimeSpan.Zero;
    var consistency = "not measured";
    if (measureTotals)
    {
        // The expected national totals: the exact sum of every acknowledged protocol.
        var ackedBodies = acked.Select(i => bodyOf[i.Body]).ToList();
        var expected = ackedBodies.GroupBy(b => (string)b["contestId"]!).ToDictionary(g => g.Key, g => Sum(g));
        var grain = app.Services.GetRequiredService<IGrainFactory>().GetGrain<IElectionGrain>(election.Id);
        while (true)
        {
            var totals = await grain.GetContestTotalsAsync();
            if (totals.All(t => expected.TryGetValue(t.ContestId, out var e) ? Same(t.Totals, e) : t.Totals.BallotsInBoxes == 0)) { settle = lastAck.Elapsed; consistency = "exact"; break; }
            if (lastAck.Elapsed > TimeSpan.FromMinutes(2)) { settle = lastAck.Elapsed; consistency = "MISMATCH after 2 min"; break; }
            await Task.Delay(10);
        }
        var head = await app.Services.GetRequiredService<Portal.Grains.Ledger.ILedgerStore>().GetHeadAsync();
        if (head.Seq != report.Acknowledged) consistency += $"; ledger head {head.Seq} != acknowledged {report.Acknowledged}";
    }
    await app.StopAsync();
    return (report, settle, consistency);
}

async Task<double> LedgerOnlyAsync(string path, bool groupCommit, int count)
{
    await using var store = new Portal.Grains.Ledger.SqliteLedgerStore(path, groupCommit, 512, Microsoft.Extensions.Logging.Abstractions.NullLogger<Portal.Grains.Ledger.SqliteLedgerStore>.Instance);
    await store.GetHeadAsync();
    var payload = new string('x', 600);
    var next = -1;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
            await store.AppendAsync(new Portal.Grains.Ledger.LedgerAppend("protocol", $"s{i}", payload, DateTimeOffset.UtcNow, null));
    })));
    return count / watch.Elapsed.TotalSeconds;
}

// The longest pause of the most recent gen2 collection (blocking, or a background one's short suspensions).
static TimeSpan MaxGen2Pause()
{
    var blocking = GC.GetGCMemoryInfo(GCKind.FullBlocking);
    var background = GC.GetGCMemoryInfo(GCKind.Background);
    var latest = blocking.Index > background.Index ? blocking : background;
    return latest.Index == 0 ? TimeSpan.Zero : latest.PauseDurations.ToArray().Max();
}

static Tally Sum(IEnumerable<Dictionary<string, object?>> bodies)
{
    long a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0;
    var votes = new Dictionary<string, long>();
    foreach (var x in bodies)
    {
        a += (int)x["votersOnList"]!; b += (int)x["ballotsReceived"]!; c += (int)x["votersIssuedBallots"]!; d += (int)x["ballotsInBoxes"]!;
        e += (int)x["invalidBallots"]!; f += (int)x["spoiledBallots"]!; g += (int)x["unusedBallots"]!;
        foreach (var (id, v) in (Dictionary<string, int>)x["candidateVotes"]!) votes[id] = votes.GetValueOrDefault(id) + v;
    }
    return new Tally(a, b, c, d, e, f, g, votes);
}

static bool Same(Tally t, Tally e) =>
    t.VotersOnList == e.VotersOnList && t.BallotsReceived == e.BallotsReceived && t.VotersIssuedBallots == e.VotersIssuedBallots &&
    t.BallotsInBoxes == e.BallotsInBoxes && t.InvalidBallots == e.InvalidBallots && t.SpoiledBallots == e.SpoiledBallots &&
    t.UnusedBallots == e.UnusedBallots && e.CandidateVotes.All(kv => t.CandidateVotes.GetValueOrDefault(kv.Key) == kv.Value) &&
    t.CandidateVotes.Where(kv => kv.Value != 0).All(kv => e.CandidateVotes.ContainsKey(kv.Key));

static double VerifyPerSecond(bool cachedKey)
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var spki = key.ExportSubjectPublicKeyInfo();
    var body = Encoding.UTF8.GetBytes(new string('x', 600));
    var bodyHash = StationRequestSigning.BodyHash(body);
    var signature = Convert.FromBase64String(StationRequestSigning.Sign(key, "POST", "/api/v1/stations/1/protocols", 1, body));
    var count = 0;
    var sw = Stopwatch.StartNew();
    using var imported = ECDsa.Create();
    imported.ImportSubjectPublicKeyInfo(spki, out _);
    while (sw.Elapsed < TimeSpan.FromSeconds(2))
    {
        var ok = cachedKey
            ? StationRequestSigning.Verify(imported, "POST", "/api/v1/stations/1/protocols", 1, bodyHash, signature)
            : StationRequestSigning.Verify(spki, "POST", "/api/v1/stations/1/protocols", 1, bodyHash, signature);
        if (!ok) throw new InvalidOperationException("verify failed");
        count++;
    }
    return count / sw.Elapsed.TotalSeconds;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

int Arg(string name, int fallback) =>
    int.TryParse(args.SkipWhile(a => a != name).Skip(1).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : fallback;

sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
