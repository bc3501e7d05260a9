// Camera gateway benchmark: N cameras of 1 Mbps H.264 pushed by ffmpeg into rtsp-server-perl, pulled by
// (A) the real gateway, run as its own process (supervisor + ffmpeg children + in-process silo + HLS origin over HTTP),
// then by (B) N bare `ffmpeg -c copy` HLS processes with the gateway's input and HLS options, in the same run. Phase A
// also runs --control bare processes beside the gateway in its own window: the same machine at the same moment, which
// phase B, minutes later, is not (the identical copy command has cost 0.93-1.37x as much in one phase as in the other).
// CPU is read from /proc for the whole tree (the gateway process, its live ffmpeg children and the ones it reaped),
// so the bench's own work (reading playlists, reading /proc) is counted for neither side: in the measured window both
// sides' playlists are read from disk (an HTTP fetch would charge the gateway for serving the bench, which bare ffmpeg
// is never asked to do); the gateway's HLS origin is checked over HTTP for every camera after the window.
// Prints CPU and memory per camera, the ratio, segments missing and glass-to-playlist latency. Optional phases:
// masked (transcoding) and demo cameras. The gateway's thumbnails and picture health (SegmentThumbnailer, from the
// segments written) are inside the gateway's figure; the bare phase has none.
// Usage: dotnet infra/bench/cameras/bin/Release/net10.0/Bench.Cameras.dll [--cameras 50] [--seconds 120] [--warmup 15+cameras/4]
//        [--masked 1] [--demo 4] [--short-seconds 40] [--bare 1] [--control 10]
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Bench.Cameras;
using Portal.Grains;
using Portal.Grains.Extensions;
using Portal.Grains.Model;
using Portal.StreamGateway;
using Portal.StreamGateway.Archive;
using Portal.StreamGateway.Extensions;
using Portal.StreamGateway.Supervision;

if (args.Length > 0 && args[0] == "--serve")
{
    await ServeGatewayAsync(args[1], args[2]);
    return;
}

var options = BenchOptions.Parse(args);
var hlsOptions = new GatewayOptions();
var work = Path.Combine(Path.GetTempPath(), $"bench-cameras-{Environment.ProcessId}");
Directory.CreateDirectory(work);
Console.WriteLine($"bench-cameras: {options.Cameras} cameras x 1 Mbps 720p25 H.264, {options.Seconds} s measured after {options.Warmup} s warm-up; {Environment.ProcessorCount} cores; load {Proc.LoadAverage()}");
Console.WriteLine($"runtime (the portal's, src/Portal/NodeRuntime.props): server GC {System.Runtime.GCSettings.IsServerGC}, tiered JIT {AppContext.GetData("System.Runtime.TieredCompilation") ?? "default"}, thread-pool spin limit {AppContext.GetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit") ?? "default"}");

var source = Path.Combine(work, "source.mp4");
await Proc.RunAsync("ffmpeg", $"-hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=25 -t 20 -c:v libx264 -preset veryfast -b:v 1M -maxrate 1M -bufsize 2M -g 25 -keyint_min 25 -sc_threshold 0 -pix_fmt yuv420p \"{source}\"");

var clientPort = Proc.FreePort();
var sourcePort = Proc.FreePort();
var server = Proc.Start("rtsp-server-perl", $"-c {clientPort} -s {sourcePort} -l 1 --max_clients 2000");
// On a loaded box the Perl relay takes a while to listen: a pusher that finds no port exits and its camera is lost.
await Proc.WaitListeningAsync(sourcePort, TimeSpan.FromSeconds(60));
await Proc.WaitListeningAsync(clientPort, TimeSpan.FromSeconds(60));
var names = Enumerable.Range(1, options.Cameras).Select(i => $"bench-{i:000}").ToList();
var pushers = names.Select(n => Proc.Start("ffmpeg", $"-hide_banner -loglevel error -nostdin -re -stream_loop -1 -i \"{source}\" -c copy -an -f rtsp rtsp://127.0.0.1:{sourcePort}/{n}")).ToList();
await Task.Delay(4000);
var report = new List<string>();
try
{
    // Phase A: the gateway.
    var gateway = await RunGatewayPhaseAsync("gateway", names.Select(n => new CameraDefinition { Id = n, Source = $"rtsp://127.0.0.1:{clientPort}/{n}" }).ToList(), options.Seconds, options.Control);
    report.Add(gateway.Format());
    if (options.Bare > 0)
    {
        // Phase B: bare ffmpeg.
        var bare = await RunBarePhaseAsync(names, options.Seconds);
        report.Add(bare.Format());
        report.Add($"CPU breakdown per camera: gateway .NET process {gateway.OwnCpuPerCamera:0.000}%, its ffmpeg children {gateway.CpuPerCamera - gateway.OwnCpuPerCamera:0.000}%, bare ffmpeg {bare.CpuPerCamera:0.000}%");
        if (!double.IsNaN(gateway.CopyCpuPerProcess))
            report.Add($"drift between the phases: the same copy command cost {gateway.CopyCpuPerProcess:0.000}% per process in the gateway phase, {bare.CpuPerCamera:0.000}% in the bare phase ({gateway.CopyCpuPerProcess / Math.Max(bare.CpuPerCamera, 1e-9):0.00}x)");
        report.Add($"ratio gateway/bare CPU per camera, bare in the phase after: {gateway.CpuPerCamera / Math.Max(bare.CpuPerCamera, 1e-9):0.00} (target <= 1.15); memory ratio {gateway.MemoryPerCameraMb / Math.Max(bare.MemoryPerCameraMb, 1e-9):0.00}");
    }

    if (options.Masked > 0)
    {
        var masked = await RunGatewayPhaseAsync("masked", names.Take(options.Masked).Select(n => new CameraDefinition
        {
            Id = n + "-m", Source = $"rtsp://127.0.0.1:{clientPort}/{n}", Mask = [new MaskRectangle { X = 0.3, Y = 0.3, Width = 0.3, Height = 0.4 }],
        }).ToList(), options.ShortSeconds);
        report.Add(masked.Format());
    }
    if (options.Demo > 0)
    {
        var demo = await RunGatewayPhaseAsync("demo", Enumerable.Range(1, options.Demo).Select(i => new CameraDefinition { Id = $"demo-{i:00}", Source = CameraSources.Demo }).ToList(), options.ShortSeconds);
        report.Add(demo.Format());
    }
}
finally
{
    foreach (var p in pushers) Proc.Stop(p);
    Proc.Stop(server);
    try { Directory.Delete(work, true); } catch (IOException) { }
}
Console.WriteLine();
Console.WriteLine($"== results (load average at end {Proc.LoadAverage()})");
foreach (var line in report) Console.WriteLine(line);

// control > 0: as many bare `ffmpeg -c copy` processes run beside the gateway, on the first cameras' streams, through the
// same warm-up and window: a baseline measured at the same moment, which the phase after cannot be (docs/perf.md).
async Task<PhaseResult> RunGatewayPhaseAsync(string name, List<CameraDefinition> cameras, int seconds, int control = 0)
{
    var dataDir = Path.Combine(work, name);
    var camerasFile = Path.Combine(work, $"{name}.cameras");
    await File.WriteAllLinesAsync(camerasFile, cameras.Select(c => $"{c.Id} {c.Source} {(c.Mask is { Count: > 0 } ? 1 : 0)}"));
    var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") psi.ArgumentList.Add(typeof(BenchOptions).Assembly.Location);
    foreach (var a in new[] { "--serve", dataDir, camerasFile }) psi.ArgumentList.Add(a);
    using var child = Process.Start(psi) ?? throw new InvalidOperationException("the gateway process did not start");
    var controlIds = cameras.Take(control).Select(c => c.Id).ToList();
    var controls = new List<Process>();
    AppDomain.CurrentDomain.ProcessExit += (_, _) => Proc.Stop(child);
    var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
    var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
    var warnings = 0;
    child.OutputDataReceived += (_, e) =>
    {
        if (e.Data is null) return;
        if (e.Data.StartsWith("READY ", StringComparison.Ordinal)) ready.TrySetResult(e.Data[6..]);
        else if (e.Data.StartsWith("RESULT ", StringComparison.Ordinal)) done.TrySetResult(e.Data[7..]);
        else if (e.Data.StartsWith("warn:", StringComparison.Ordinal) && Interlocked.Increment(ref warnings) <= 5) Console.WriteLine($"[{name}] {e.Data}");
    };
    child.BeginOutputReadLine();
    try
    {
        var url = await ready.Task.WaitAsync(TimeSpan.FromSeconds(120));
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        Console.WriteLine($"[{name}] {cameras.Count} cameras in gateway process {child.Id}{(control > 0 ? $", {control} bare ffmpeg beside it" : "")}, warming up {options.Warmup} s");
        controls.AddRange(controlIds.Select((id, i) => StartBare(id, i + 1, Path.Combine(work, "control", id))));
        await WarmUpRestartingAsync(controls, k => StartBare(controlIds[k], k + 1, Path.Combine(work, "control", controlIds[k])));
        var controlBefore = controls.Select(p => Proc.CpuTicks(p.Id)).ToList();
        var gatewayPid = child.Id;
        var threadsBefore = Proc.ThreadTicks(gatewayPid);
        var childrenBefore = Proc.ChildrenOf(gatewayPid).ToDictionary(p => p, Proc.CpuTicks);
        var result = await MeasureAsync(name, cameras.Count, seconds,
            () => Proc.TreeTicks(gatewayPid), () => Proc.CpuTicks(gatewayPid), () => [gatewayPid, .. Proc.ChildrenOf(gatewayPid)],
            id => File.ReadAllTextAsync(Path.Combine(dataDir, id, CameraPaths.LivePlaylist)), cameras.Select(c => c.Id).ToList());
        var threadsAfter = Proc.ThreadTicks(gatewayPid);
        var controlAlive = controls.Select((p, k) => (p, k)).Where(x => !x.p.HasExited).ToList();
        if (controlAlive.Count > 0)
        {
            result.ControlProcesses = controlAlive.Count;
            result.ControlCpuPerProcess = Proc.PercentOfCore(controlAlive.Sum(x => Proc.CpuTicks(x.p.Id) - controlBefore[x.k]), result.Seconds, controlAlive.Count);
        }
        // The ffmpeg side split: the copy processes that ran through the whole window (the very command bare ffmpeg runs,
        // so their cost per process against bare's shows how much the machine drifted between the phases), the node's
        // keyframe decoder, and the rest (processes restarted or ended in the window, with their start and probe).
        var ffmpegTicks = 0L;
        var copiesOnly = cameras.All(c => c.Mask is not { Count: > 0 } && c.Source != CameraSources.Demo);
        foreach (var (pid, after) in copiesOnly ? Proc.ChildrenOf(gatewayPid).ToDictionary(p => p, Proc.CpuTicks) : [])
        {
            if (!childrenBefore.TryGetValue(pid, out var before)) continue;
            if (Proc.CommandLine(pid).Contains("pipe:0", StringComparison.Ordinal)) result.DecoderTicks += after - before;
            else
            {
                ffmpegTicks += after - before;
                result.CopyProcesses++;
            }
        }
        result.CopyCpuPerProcess = result.CopyProcesses == 0 ? double.NaN : Proc.PercentOfCore(ffmpegTicks, result.Seconds, result.CopyProcesses);
        result.Threads = string.Join(", ", threadsAfter
            .Select(t => (t.Key, Ticks: t.Value - threadsBefore.GetValueOrDefault(t.Key)))
            .OrderByDescending(t => t.Ticks).Take(8)
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {Proc.PercentOfCore(t.Ticks, result.Seconds):0.0}%")));
        // After the window: the origin serves every camera's live playlist (what the edge fetches).
        result.Served = 0;
        foreach (var id in cameras.Select(c => c.Id))
        {
            try
            {
                if (HlsPlaylist.Parse(await http.GetStringAsync($"/hls/{id}/live.m3u8")).Segments.Count > 0) result.Served++;
            }
            catch (HttpRequestException)
            {
            }
        }
        await child.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"STOP {result.From.ToUnixTimeMilliseconds()} {result.To.ToUnixTimeMilliseconds()}"));
        await child.StandardInput.FlushAsync();
        var fields = (await done.Task.WaitAsync(TimeSpan.FromSeconds(60))).Split(' ');
        result.IndexMissing = int.Parse(fields[0], CultureInfo.InvariantCulture);
        result.Restarts = int.Parse(fields[1], CultureInfo.InvariantCulture);
        result.Thumbnails = int.Parse(fields[2], CultureInfo.InvariantCulture);
        if (!child.WaitForExit(30_000)) Proc.Stop(child);
        if (warnings > 5) Console.WriteLine($"[{name}] {warnings} warnings in all");
        return result;
    }
    finally
    {
        Proc.Stop(child);
        foreach (var p in controls) Proc.Stop(p);
    }
}

Process StartBare(string id, int number, string dir)
{
    Directory.CreateDirectory(dir);
    return Proc.Start("ffmpeg", BareCommand(id, number, dir));
}

// A bare ffmpeg whose first connection fails just exits; it is restarted during the warm-up (as a script would), so the
// measured window has all of them running, like the supervised gateway. Returns the restarts.
async Task<int> WarmUpRestartingAsync(List<Process> processes, Func<int, Process> restart)
{
    var restarted = 0;
    for (var t = 0; t < options.Warmup; t++)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        for (var k = 0; k < processes.Count; k++)
            if (processes[k].HasExited && t < options.Warmup - 5)
            {
                processes[k] = restart(k);
                restarted++;
            }
    }
    return restarted;
}

// The gateway as the portal runs it, in this process: the bench's parent process measures it from outside.
static async Task ServeGatewayAsync(string dataDir, string camerasFile)
{
    var cameras = File.ReadAllLines(camerasFile).Select(l => l.Split(' ')).Select(f => new CameraDefinition
    {
        Id = f[0], Source = f[1], Mask = f[2] == "1" ? [new MaskRectangle { X = 0.3, Y = 0.3, Width = 0.3, Height = 0.4 }] : [],
    }).ToList();
    var catalog = new ElectionCatalog(new ElectionDefinition
    {
        Id = "bench", TimeZone = "Asia/Tashkent",
        // Voting now, as on the election day: camera state changes go to the ledger as in the portal.
        PollsOpen = DateTimeOffset.UtcNow.AddHours(-1), PollsClose = DateTimeOffset.UtcNow.AddHours(8),
        Stations = [.. cameras.Select((c, i) => new StationDefinition { Id = $"s{i + 1}", Number = i + 1, RegionId = "r", Cameras = [c] })],
    }, []);
    var builder = WebApplication.CreateBuilder();
    builder.Logging.ClearProviders();
    builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
    builder.Services.AddSingleton(catalog);
    // The camera grains append their state changes to the ledger (SQLite beside the video folder).
    builder.Configuration["Ledger:Path"] = dataDir.TrimEnd('/') + "-ledger.db";
    builder.AddElectionLedger();
    builder.UseOrleans(silo => silo.UseLocalhostClustering(Proc.FreePort(), Proc.FreePort()).AddMemoryGrainStorage(GrainStorageNames.Default));
    builder.AddStreamGateway();
    builder.Services.Configure<GatewayOptions>(o => o.DataDir = dataDir);
    var app = builder.Build();
    app.Urls.Add("http://127.0.0.1:0");
    app.MapHlsOrigin();
    await app.StartAsync();
    Console.WriteLine($"READY {app.Urls.First()}");
    var line = await Console.In.ReadLineAsync();
    var missing = 0;
    if (line is not null && line.StartsWith("STOP ", StringComparison.Ordinal))
    {
        var f = line.Split(' ');
        var from = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(f[1], CultureInfo.InvariantCulture));
        var to = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(f[2], CultureInfo.InvariantCulture));
        var index = app.Services.GetRequiredService<SegmentIndex>();
        missing = cameras.Sum(c => Gaps.Missing(index.Read(c.Id, from, to).Select(s => (s.Start, s.Duration)).ToList(), from, to));
    }
    var restarts = app.Services.GetRequiredService<CameraSupervisor>().Workers.Values.Sum(w => w.Restarts);
    // Thumbnails the copy cameras got from their segments during the whole run (the transcoded ones draw their own).
    var thumbnails = app.Services.GetRequiredService<Portal.StreamGateway.Health.SegmentThumbnailer>().Written;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {missing} {restarts} {thumbnails}"));
    await app.StopAsync();
    await app.DisposeAsync();
}

async Task<PhaseResult> RunBarePhaseAsync(List<string> cameras, int seconds)
{
    var dataDir = Path.Combine(work, "bare");
    var processes = cameras.Select((n, i) => StartBare(n, i + 1, Path.Combine(dataDir, n))).ToList();
    try
    {
        Console.WriteLine($"[bare] {cameras.Count} bare ffmpeg -c copy processes, warming up {options.Warmup} s");
        var restarted = await WarmUpRestartingAsync(processes, k => StartBare(cameras[k], k + 1, Path.Combine(dataDir, cameras[k])));
        var pids = processes.Select(p => p.Id).ToList();
        var result = await MeasureAsync("bare ffmpeg", cameras.Count, seconds,
            () => pids.Sum(Proc.CpuTicks), null, () => pids,
            id => File.ReadAllTextAsync(Path.Combine(dataDir, id, CameraPaths.LivePlaylist)), cameras);
        result.Exited = processes.Count(p => p.HasExited);
        result.Restarts = restarted;
        return result;
    }
    finally
    {
        foreach (var p in processes) Proc.Stop(p);
    }
}

// The gateway's own ffmpeg command for this camera (after its fallback to UDP, which rtsp-server-perl needs): a copy
// camera's process only copies (its thumbnails come from the written segments), so bare ffmpeg runs exactly that command.
string BareCommand(string id, int number, string dir)
{
    var camera = new CameraDefinition { Id = id, Source = $"rtsp://127.0.0.1:{clientPort}/{id}" };
    var station = new StationDefinition { Id = $"s{number}", Number = number, RegionId = "r", Cameras = [camera] };
    var c = FfmpegCommandBuilder.Build(new(camera, station.Number, dir, 1, RtspTransport.Udp, null, hlsOptions));
    if (c.Transcodes || c.ToString().Contains("-skip_frame", StringComparison.Ordinal) || c.ToString().Contains("thumb", StringComparison.Ordinal))
        throw new InvalidOperationException($"unexpected gateway command (not a bare copy): {c}");
    return $"{c.InputArguments} -nostdin -i {c.Input} {c.OutputArguments} \"{c.OutputFile}\"";
}

async Task<PhaseResult> MeasureAsync(string name, int count, int seconds, Func<long> treeTicks, Func<long>? ownTicks, Func<List<int>> pids,
    Func<string, Task<string>> fetchPlaylist, List<string> ids)
{
    var from = DateTimeOffset.UtcNow;
    var cpuStart = treeTicks();
    var ownStart = ownTicks?.Invoke() ?? 0;
    var latencies = new List<double>();
    var seen = ids.ToDictionary(id => id, _ => new Dictionary<string, (DateTimeOffset Start, double Duration)>());
    var watch = Stopwatch.StartNew();
    var memorySamples = new List<double>();
    var i = 0;
    while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
    {
        // One playlist fetch per camera every ~2 s, spread evenly; the live window (6 s) is longer, so every segment is seen.
        var id = ids[i++ % ids.Count];
        try
        {
            var playlist = HlsPlaylist.Parse(await fetchPlaylist(id));
            if (playlist.Segments.Count > 0)
            {
                var last = playlist.Segments[^1];
                latencies.Add((DateTimeOffset.UtcNow - last.ProgramDateTime.AddSeconds(last.Duration)).TotalSeconds);
                foreach (var s in playlist.Segments) seen[id][s.Name] = (s.ProgramDateTime, s.Duration);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or UnauthorizedAccessException)
        {
        }
        if (i % ids.Count == 0) memorySamples.Add(pids().Sum(Proc.PssKb) / 1024.0);
        await Task.Delay(TimeSpan.FromSeconds(2.0 / ids.Count));
    }
    var ticks = treeTicks() - cpuStart;
    var own = (ownTicks?.Invoke() ?? 0) - ownStart;
    var wall = watch.Elapsed.TotalSeconds;
    var to = DateTimeOffset.UtcNow;
    latencies.Sort();
    var phase = new PhaseResult(name, count, wall)
    {
        From = from.AddSeconds(2), To = to.AddSeconds(-3),
        CpuPerCamera = Proc.PercentOfCore(ticks, wall, count),
        OwnCpuPerCamera = ownTicks is null ? null : Proc.PercentOfCore(own, wall, count),
        MemoryPerCameraMb = (memorySamples.Count > 0 ? memorySamples.Average() : pids().Sum(Proc.PssKb) / 1024.0) / count,
        LatencyP50 = Percentile(latencies, 0.5), LatencyP95 = Percentile(latencies, 0.95), Samples = latencies.Count,
    };
    phase.Missing = seen.Values.Sum(v => Gaps.Missing([.. v.Values], phase.From, phase.To));
    Console.WriteLine($"[{name}] measured; load {Proc.LoadAverage()}");
    return phase;
}

static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

namespace Portal.Bench.Cameras
{
    internal sealed record BenchOptions(int Cameras, int Seconds, int Warmup, int Masked, int Demo, int ShortSeconds, int Bare, int Control)
    {
        public static BenchOptions Parse(string[] args)
        {
            int Get(string name, int fallback)
            {
                var i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
            }
            return new BenchOptions(Get("--cameras", 50), Get("--seconds", 120), Get("--warmup", 15 + Get("--cameras", 50) / 4), Get("--masked", 1), Get("--demo", 4), Get("--short-seconds", 40), Get("--bare", 1), Get("--control", 10));
        }
    }

    internal sealed record PhaseResult(string Name, int Cameras, double Seconds)
    {
        public DateTimeOffset From { get; set; }
        public DateTimeOffset To { get; set; }
        public double CpuPerCamera { get; set; }
        public double MemoryPerCameraMb { get; set; }
        public double LatencyP50 { get; set; }
        public double LatencyP95 { get; set; }
        public int Samples { get; set; }
        public double? OwnCpuPerCamera { get; set; }
        public int Missing { get; set; }
        public int? IndexMissing { get; set; }
        public int Restarts { get; set; }
        public int Exited { get; set; }
        public int? Thumbnails { get; set; }
        public int? Served { get; set; }
        public long DecoderTicks { get; set; }
        public int CopyProcesses { get; set; }
        public double CopyCpuPerProcess { get; set; } = double.NaN;
        public int ControlProcesses { get; set; }
        public double ControlCpuPerProcess { get; set; } = double.NaN;
        public string? Threads { get; set; }

        public string Format()
        {
            var inv = CultureInfo.InvariantCulture;
            var text = string.Create(inv, $"{Name,-12} cameras {Cameras,3}  CPU/camera {CpuPerCamera,6:0.000}% of a core");
            if (OwnCpuPerCamera is { } own) text += string.Create(inv, $" (.NET process {own:0.000}%, ffmpeg {CpuPerCamera - own:0.000}%)");
            text += string.Create(inv, $"  PSS/camera {MemoryPerCameraMb,6:0.0} MB  segments missing {Missing} of ~{(int)(To - From).TotalSeconds * Cameras}");
            if (IndexMissing is { } im) text += string.Create(inv, $" (archive index: {im})");
            text += string.Create(inv, $"  latency p50 {LatencyP50:0.00} s p95 {LatencyP95:0.00} s ({Samples} fetches)  restarts {Restarts}");
            if (Exited > 0) text += string.Create(inv, $"  exited {Exited}");
            if (Thumbnails is { } th) text += string.Create(inv, $"  segment thumbnails {th}");
            if (Served is { } served) text += string.Create(inv, $"  origin served {served}/{Cameras} playlists");
            text += string.Create(inv, $"  over {Seconds:0} s");
            if (CopyProcesses > 0 && OwnCpuPerCamera is { } dotnet)
            {
                var decoder = Proc.PercentOfCore(DecoderTicks, Seconds, Cameras);
                text += string.Create(inv, $"\n             ffmpeg side per camera: {CopyProcesses} copy processes through the window {CopyCpuPerProcess:0.000}% each, keyframe decoder {decoder:0.000}%, restarted or ended {CpuPerCamera - dotnet - decoder - CopyCpuPerProcess * CopyProcesses / Cameras:0.000}%");
            }
            if (ControlProcesses > 0)
                text += string.Create(inv, $"\n             beside it in the same window: {ControlProcesses} bare ffmpeg -c copy {ControlCpuPerProcess:0.000}% each; ratio gateway/bare beside it {CpuPerCamera / ControlCpuPerProcess:0.00} (target <= 1.15)");
            return Threads is null ? text : $"{text}\n             .NET process threads (% of a core, all cameras): {Threads}";
        }
    }

    internal static class Gaps
    {
        /// <summary>Segments missing in [from, to): holes between consecutive segments, in nominal 1 s segments, plus a camera with none.</summary>
        public static int Missing(List<(DateTimeOffset Start, double Duration)> segments, DateTimeOffset from, DateTimeOffset to)
        {
            var inside = segments.Where(s => s.Start >= from && s.Start < to).OrderBy(s => s.Start).ToList();
            if (inside.Count == 0) return (int)(to - from).TotalSeconds;
            var missing = 0;
            for (var i = 1; i < inside.Count; i++)
            {
                var gap = (inside[i].Start - inside[i - 1].Start.AddSeconds(inside[i - 1].Duration)).TotalSeconds;
                if (gap > 0.5) missing += (int)Math.Round(gap);
            }
            return missing;
        }
    }

    internal static class Proc
    {
        public const long TicksPerSecond = 100;

        /// <summary>CPU ticks over a window as % of one core, per item (camera, process).</summary>
        public static double PercentOfCore(long ticks, double seconds, int per = 1) => ticks / (double)TicksPerSecond / seconds / per * 100;

        public static async Task WaitListeningAsync(int port, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                try
                {
                    using var client = new System.Net.Sockets.TcpClient();
                    await client.ConnectAsync(System.Net.IPAddress.Loopback, port);
                    return;
                }
                catch (System.Net.Sockets.SocketException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(200);
                }
            }
        }

        public static int FreePort()
        {
            using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            l.Start();
            return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        }

        public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Trim();

        public static long CpuTicks(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                return 0;
            }
        }

        public static long PssKb(int pid)
        {
            try
            {
                var line = File.ReadLines($"/proc/{pid}/smaps_rollup").FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal));
                return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                return 0;
            }
        }

        /// <summary>CPU of a process, of the children it reaped, and of its live children: a whole process tree, restarts included.</summary>
        public static long TreeTicks(int pid)
        {
            var total = 0L;
            try
            {
                var f = StatFields(pid);
                total = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture)
                        + long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
            }
            return total + ChildrenOf(pid).Sum(CpuTicks);
        }

        /// <summary>CPU ticks per thread name of one process (threads of the same name summed).</summary>
        public static Dictionary<string, long> ThreadTicks(int pid)
        {
            var result = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(task, "stat"));
                    var name = stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];
                    var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    result[name] = result.GetValueOrDefault(name) + long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                }
            }
            return result;
        }

        public static string CommandLine(int pid)
        {
            try
            {
                return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            }
            catch (IOException)
            {
                return "";
            }
        }

        public static List<int> ChildrenOf(int parent)
        {
            var pids = new List<int>();
            foreach (var proc in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(proc), out var pid)) continue;
                try
                {
                    if (int.Parse(StatFields(pid)[1], CultureInfo.InvariantCulture) == parent) pids.Add(pid);
                }
                catch (IOException)
                {
                }
            }
            return pids;
        }

        private static string[] StatFields(int pid)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }

        public static Process Start(string tool, string arguments)
        {
            var p = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardInput = true, RedirectStandardError = false, UseShellExecute = false })
                    ?? throw new InvalidOperationException($"{tool} did not start (is it installed?)");
            // Also on Ctrl+C or a crash of the bench: no orphaned ffmpeg.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(p);
            return p;
        }

        public static void Stop(Process p)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill();
                    p.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }

        public static async Task RunAsync(string tool, string arguments)
        {
            using var p = Process.Start(new ProcessStartInfo(tool, arguments) { UseShellExecute = false })
                          ?? throw new InvalidOperationException($"{tool} did not start (is it installed?)");
            await p.WaitForExitAsync();
            if (p.ExitCode != 0) throw new InvalidOperationException($"{tool} failed with {p.ExitCode}");
        }

    }
}
