using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

// Edge benchmark: simulated HLS players (each fetches the live playlist once per target duration and every segment it
// has not fetched yet, as hls.js does at the live edge) against one cluster node with demo cameras, first directly, then
// through the repository's nginx edge (infra/cluster/render-nginx.sh), in one run. Prints per phase: requests/s,
// origin requests per new segment, edge hit ratio, player-visible latency (segment end -> segment in the player) p50/p99,
// CPU of the origin and of nginx, and the edge/direct ratios.
//   dotnet infra/bench/edge/bin/Release/net10.0/Portal.Bench.Edge.dll [--players 2000] [--seconds 20] [--cameras 4]
var players = Arg("--players", 2000);
var seconds = Arg("--seconds", 20);
var cameraStations = Math.Max(1, Arg("--cameras", 4) / 2);
int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(v => int.Parse(v, CultureInfo.InvariantCulture)).DefaultIfEmpty(fallback).First();

var root = PortalUnderTest.RepositoryRoot();
var portalDll = PortalUnderTest.PortalDll();
foreach (var tool in new[] { "redis-server", "nginx", "ffmpeg" })
    if (!File.Exists($"/usr/bin/{tool}") && !File.Exists($"/usr/sbin/{tool}")) { Console.Error.WriteLine($"needs {tool}: run infra/setup.sh"); return 2; }

var work = Directory.CreateTempSubdirectory("portal-bench-edge-").FullName;
var children = new List<Process>();
try
{
    var redisPort = PortalUnderTest.FreePort();
    children.Add(PortalUnderTest.StartQuiet("redis-server", ["--port", $"{redisPort}", "--bind", "127.0.0.1", "--dir", work, "--save", "", "--appendonly", "yes", "--appendfsync", "always"]));
    var port = PortalUnderTest.FreePort();
    var portal = PortalUnderTest.StartQuiet("dotnet", [portalDll, "--urls", $"http://127.0.0.1:{port}", "--Management:Urls", $"http://127.0.0.1:{PortalUnderTest.FreePort()}",
        "--data-dir", Path.Combine(work, "node"), "--Demo:Stations", "20", "--Demo:ActiveCameraStations", $"{cameraStations}", "--Simulator:Enabled", "false",
        "--Cluster:Enabled", "true", "--Cluster:Redis", $"127.0.0.1:{redisPort}", "--Cluster:SiloPort", $"{PortalUnderTest.FreePort()}", "--Cluster:GatewayPort", $"{PortalUnderTest.FreePort()}",
        "--Gateway:DataDir", Path.Combine(work, "video"), "--PublicWeb:TrustedProxies", "127.0.0.1",
        "--PublicWeb:ApiRequestsPerWindow", "100000000", "--PublicWeb:HubRequestsPerWindow", "100000000"]);
    children.Add(portal);
    var origin = new Uri($"http://127.0.0.1:{port}");
    using (var probe = new HttpClient { BaseAddress = origin }) await PortalUnderTest.WaitReadyAsync(probe);
    // The demo's live cameras are whichever have a live playlist in the shared video folder.
    var videoDir = Path.Combine(work, "video");
    string[] cameras = [];
    for (var i = 0; i < 240 && cameras.Length < cameraStations * 2; i++, await Task.Delay(500))
        cameras = Directory.Exists(videoDir)
            ? [.. Directory.EnumerateDirectories(videoDir).Where(d => File.Exists(Path.Combine(d, "live.m3u8"))).Select(Path.GetFileName).Order(StringComparer.Ordinal)!]
            : [];
    if (cameras.Length == 0) throw new InvalidOperationException("no demo camera went live within 2 minutes");
    await Task.Delay(3000); // a few segments in every live window

    var edgePort = PortalUnderTest.FreePort();
    var edgeDir = Path.Combine(work, "nginx");
    var render = PortalUnderTest.StartQuiet("bash", [Path.Combine(root, "infra", "cluster", "render-nginx.sh"), edgeDir, $"127.0.0.1:{edgePort}", origin.Authority, origin.Authority],
        environment: new Dictionary<string, string> { ["EDGE_WORKERS"] = "1" });
    await render.WaitForExitAsync();
    var nginx = PortalUnderTest.StartQuiet("nginx", ["-p", edgeDir, "-c", Path.Combine(edgeDir, "nginx.conf"), "-e", Path.Combine(edgeDir, "error.log"), "-g", "daemon off;"]);
    children.Add(nginx);
    await Task.Delay(1000);
    var edge = new Uri($"http://127.0.0.1:{edgePort}");

    Console.WriteLine($"{players} players over {cameras.Length} cameras (1 s segments), {seconds} s per phase, origin pid {portal.Id}, nginx pid {nginx.Id}");
    var direct = await RunPhaseAsync("direct to the origin", origin, null);
    var viaEdge = await RunPhaseAsync("through the nginx edge", edge, Path.Combine(edgeDir, "access.log"));
    Console.WriteLine();
    Console.WriteLine($"ratio edge/direct: origin requests {viaEdge.OriginRequests / (double)Math.Max(1, direct.OriginRequests):0.0000}x, " +
                      $"latency p50 {viaEdge.P50 / direct.P50:0.00}x, p99 {viaEdge.P99 / direct.P99:0.00}x, origin CPU {viaEdge.OriginCpu / Math.Max(0.001, direct.OriginCpu):0.00}x");
    return 0;

    async Task<Phase> RunPhaseAsync(string name, Uri target, string? accessLog)
    {
        var originCpu0 = CpuSeconds(portal.Id);
        var nginxCpu0 = CpuSeconds(nginx.Id) + WorkerCpu(nginx.Id);
        var logStart = accessLog is not null && File.Exists(accessLog) ? new FileInfo(accessLog).Length : 0;
        var latencies = new List<double>();
        var segmentsSeen = cameras.ToDictionary(c => c, _ => new HashSet<string>());
        long requests = 0, errors = 0;
        var errorKinds = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler) { BaseAddress = target, Timeout = TimeSpan.FromSeconds(10) };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var start = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, players).Select(async p =>
        {
            var camera = cameras[p % cameras.Length];
            var have = new HashSet<string>();
            // Players join over the first second, as an audience does, not in lockstep.
            await Task.Delay(p * 1000 / players);
            while (!stop.IsCancellationRequested)
            {
                var tick = Stopwatch.StartNew();
                try
                {
                    var playlist = await http.GetStringAsync($"/hls/{camera}/live.m3u8");
                    Interlocked.Increment(ref requests);
                    var entries = Segments(playlist);
                    foreach (var (segment, end) in have.Count == 0 ? entries.TakeLast(3) : entries.Where(e => !have.Contains(e.Name)))
                    {
                        using var response = await http.GetAsync($"/hls/{camera}/{segment}", HttpCompletionOption.ResponseContentRead);
                        Interlocked.Increment(ref requests);
                        if (response.StatusCode != HttpStatusCode.OK)
                        {
                            Interlocked.Increment(ref errors);
                            errorKinds.AddOrUpdate($"segment {(int)response.StatusCode}", 1, (_, n) => n + 1);
                            continue;
                        }
                        have.Add(segment);
                        lock (segmentsSeen) segmentsSeen[camera].Add(segment);
                        if (have.Count > 3) lock (latencies) latencies.Add((DateTimeOffset.UtcNow - end).TotalSeconds);
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    errorKinds.AddOrUpdate(e is HttpRequestException h && h.StatusCode is { } code ? $"playlist {(int)code}" : e.GetType().Name, 1, (_, n) => n + 1);
                }
                var wait = TimeSpan.FromSeconds(1) - tick.Elapsed;
                if (wait > TimeSpan.Zero) try { await Task.Delay(wait, stop.Token); } catch (TaskCanceledException) { }
            }
        }).ToList();
        await Task.WhenAll(tasks);
        var elapsed = start.Elapsed.TotalSeconds;
        var originCpu = CpuSeconds(portal.Id) - originCpu0;
        var nginxCpu = CpuSeconds(nginx.Id) + WorkerCpu(nginx.Id) - nginxCpu0;
        var newSegments = segmentsSeen.Values.Sum(s => s.Count);
        long originRequests;
        double hitRatio = 0;
        if (accessLog is null) originRequests = requests;
        else
        {
            await Task.Delay(1500); // nginx flushes its log buffer every second
            var lines = ReadFrom(accessLog, logStart).Where(l => l.Contains("/hls/", StringComparison.Ordinal)).ToList();
            originRequests = lines.Count(l => !l.Contains("upstream=-", StringComparison.Ordinal));
            hitRatio = lines.Count == 0 ? 0 : lines.Count(l => l.Contains("cache=HIT", StringComparison.Ordinal)) / (double)lines.Count;
        }
        latencies.Sort();
        double Pct(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
        var phase = new Phase(requests, originRequests, Pct(0.5), Pct(0.99), originCpu);
        Console.WriteLine();
        Console.WriteLine($"== {name}");
        Console.WriteLine($"requests {requests:N0} ({requests / elapsed:N0}/s), errors {errors:N0} ({string.Join(", ", errorKinds.Select(k => $"{k.Key}: {k.Value}"))}), new segments {newSegments:N0}");
        Console.WriteLine($"origin requests {originRequests:N0} ({originRequests / (double)Math.Max(1, newSegments):0.00} per new segment, playlists included)" +
                          (accessLog is null ? "" : $", edge hit ratio {hitRatio:P2}"));
        Console.WriteLine($"player-visible latency (segment end -> in the player): p50 {phase.P50:0.00} s, p99 {phase.P99:0.00} s ({latencies.Count:N0} segments)");
        Console.WriteLine($"CPU: origin {originCpu / elapsed:P0} of a core" + (accessLog is null ? "" : $", nginx {nginxCpu / elapsed:P0} of a core"));
        return phase;
    }
}
finally
{
    foreach (var child in Enumerable.Reverse(children))
        try { if (!child.HasExited) { child.Kill(entireProcessTree: true); child.WaitForExit(10_000); } } catch (InvalidOperationException) { }
    try { Directory.Delete(work, recursive: true); } catch (IOException) { }
}

static List<(string Name, DateTimeOffset End)> Segments(string playlist)
{
    var result = new List<(string, DateTimeOffset)>();
    DateTimeOffset? pdt = null;
    double duration = 1;
    foreach (var line in playlist.Split('\n'))
    {
        if (line.StartsWith("#EXTINF:", StringComparison.Ordinal)) duration = double.Parse(line[8..].TrimEnd(','), CultureInfo.InvariantCulture);
        else if (line.StartsWith("#EXT-X-PROGRAM-DATE-TIME:", StringComparison.Ordinal)) pdt = DateTimeOffset.Parse(line[25..], CultureInfo.InvariantCulture);
        else if (line.EndsWith(".ts", StringComparison.Ordinal) && pdt is { } start) result.Add((line.Trim(), start.AddSeconds(duration)));
    }
    return result;
}

static IEnumerable<string> ReadFrom(string path, long offset)
{
    using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
    stream.Seek(offset, SeekOrigin.Begin);
    using var reader = new StreamReader(stream);
    var lines = new List<string>();
    while (reader.ReadLine() is { } line) lines.Add(line);
    return lines;
}

static double CpuSeconds(int pid)
{
    try
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // utime and stime (fields 14 and 15 of stat), in clock ticks of 1/100 s.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
    catch (IOException) { return 0; }
}

static double WorkerCpu(int masterPid) => Directory.EnumerateDirectories("/proc")
    .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0).Where(pid => pid > 0)
    .Where(pid => { try { var s = File.ReadAllText($"/proc/{pid}/stat"); return s[(s.LastIndexOf(')') + 2)..].Split(' ')[1] == masterPid.ToString(CultureInfo.InvariantCulture); } catch (IOException) { return false; } })
    .Sum(CpuSeconds);

internal sealed record Phase(long Requests, long OriginRequests, double P50, double P99, double OriginCpu);
