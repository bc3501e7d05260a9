// Camera gateway benchmark: N cameras of 1 Mbps H.264 pushed by ffmpeg into rtsp-server-perl, pulled by
// (A) the real gateway (supervisor + ffmpeg children + in-process silo + HLS origin over HTTP), then by
// (B) N bare `ffmpeg -c copy` HLS processes, in the same run. Prints CPU and memory per camera, the ratio,
// segments missing and glass-to-playlist latency. Optional phases: masked (transcoding) and demo cameras.
// Usage: dotnet run -c Release --project infra/bench/cameras -- [--cameras 50] [--seconds 120] [--warmup 15]
//        [--masked 1] [--demo 4] [--short-seconds 40]
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.Bench.Cameras;
using Portal.Grains;
using Portal.Grains.Model;
using Portal.StreamGateway;
using Portal.StreamGateway.Archive;
using Portal.StreamGateway.Extensions;
using Portal.StreamGateway.Supervision;

var options = BenchOptions.Parse(args);
var work = Path.Combine(Path.GetTempPath(), $"bench-cameras-{Environment.ProcessId}");
Directory.CreateDirectory(work);
Console.WriteLine($"bench-cameras: {options.Cameras} cameras x 1 Mbps 720p25 H.264, {options.Seconds} s measured after {options.Warmup} s warm-up; {Environment.ProcessorCount} cores; load {Proc.LoadAverage()}");

var source = Path.Combine(work, "source.mp4");
await Proc.RunAsync("ffmpeg", $"-hide_banner -loglevel error -y -f lavfi -i testsrc2=size=1280x720:rate=25 -t 20 -c:v libx264 -preset veryfast -b:v 1M -maxrate 1M -bufsize 2M -g 25 -keyint_min 25 -sc_threshold 0 -pix_fmt yuv420p \"{source}\"");

var clientPort = Proc.FreePort();
var sourcePort = Proc.FreePort();
var server = Proc.Start("rtsp-server-perl", $"-c {clientPort} -s {sourcePort} -l 1");
await Task.Delay(2000);
var names = Enumerable.Range(1, options.Cameras).Select(i => $"bench-{i:000}").ToList();
var pushers = names.Select(n => Proc.Start("ffmpeg", $"-hide_banner -loglevel error -nostdin -re -stream_loop -1 -i \"{source}\" -c copy -an -f rtsp rtsp://127.0.0.1:{sourcePort}/{n}")).ToList();
await Task.Delay(4000);
var report = new List<string>();
try
{
    // Phase A: the gateway.
    var gateway = await RunGatewayPhaseAsync("gateway", names.Select(n => new CameraDefinition { Id = n, Source = $"rtsp://127.0.0.1:{clientPort}/{n}" }).ToList(), options.Seconds);
    // Phase B: bare ffmpeg.
    var bare = await RunBarePhaseAsync(names, options.Seconds, thumbnails: false);
    report.Add(gateway.Format());
    report.Add(bare.Format());
    if (options.BareThumbs > 0)
    {
        // The same ffmpeg work as the gateway's (copy + keyframe thumbnails), without the supervisor: what the .NET side costs.
        var bareThumbs = await RunBarePhaseAsync(names, options.Seconds, thumbnails: true);
        report.Add(bareThumbs.Format());
        report.Add($"ratio gateway/bare+thumbnails CPU per camera: {gateway.CpuPerCamera / Math.Max(bareThumbs.CpuPerCamera, 1e-9):0.00}");
    }
    report.Add($"ratio gateway/bare CPU per camera: {gateway.CpuPerCamera / Math.Max(bare.CpuPerCamera, 1e-9):0.00} (target <= 1.15); memory ratio {gateway.MemoryPerCameraMb / Math.Max(bare.MemoryPerCameraMb, 1e-9):0.00}");

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

async Task<PhaseResult> RunGatewayPhaseAsync(string name, List<CameraDefinition> cameras, int seconds)
{
    var dataDir = Path.Combine(work, name);
    var catalog = new ElectionCatalog(new ElectionDefinition
    {
        Id = "bench", TimeZone = "Asia/Tashkent",
        Stations = [.. cameras.Select((c, i) => new StationDefinition { Id = $"s{i + 1}", Number = i + 1, RegionId = "r", Cameras = [c] })],
    }, []);
    var builder = WebApplication.CreateBuilder();
    builder.Logging.ClearProviders();
    builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
    builder.Services.AddSingleton(catalog);
    builder.UseOrleans(silo => silo.UseLocalhostClustering(Proc.FreePort(), Proc.FreePort()).AddMemoryGrainStorage(GrainStorageNames.Default));
    builder.AddStreamGateway();
    builder.Services.Configure<GatewayOptions>(o => o.DataDir = dataDir);
    var app = builder.Build();
    app.Urls.Add("http://127.0.0.1:0");
    app.MapHlsOrigin();
    await app.StartAsync();
    using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
    Console.WriteLine($"[{name}] {cameras.Count} cameras, warming up {options.Warmup} s");
    await Task.Delay(TimeSpan.FromSeconds(options.Warmup));
    var dirs = cameras.Select(c => Path.Combine(dataDir, c.Id)).ToList();
    var result = await MeasureAsync(name, cameras.Count, seconds, () => [Environment.ProcessId, .. Proc.FfmpegUnder(dataDir)],
        async id => await http.GetStringAsync($"/hls/{id}/live.m3u8"), cameras.Select(c => c.Id).ToList());
    var index = app.Services.GetRequiredService<SegmentIndex>();
    result.Missing = cameras.Sum(c => Gaps.Missing(index.Read(c.Id, result.From, result.To).Select(s => (s.Start, s.Duration)).ToList(), result.From, result.To));
    result.Restarts = app.Services.GetRequiredService<CameraSupervisor>().Workers.Values.Sum(w => w.Restarts);
    await app.StopAsync();
    await app.DisposeAsync();
    return result;
}

async Task<PhaseResult> RunBarePhaseAsync(List<string> cameras, int seconds, bool thumbnails)
{
    var dataDir = Path.Combine(work, thumbnails ? "bare-thumbs" : "bare");
    var processes = cameras.Select(n =>
    {
        var dir = Path.Combine(dataDir, n);
        Directory.CreateDirectory(dir);
        var thumbs = thumbnails ? $"-map 0:v:0 -vf scale=192:-2 -fps_mode passthrough -q:v 8 -update 1 -atomic_writing 1 -f image2 \"{dir}/thumb.jpg\" " : "";
        return Proc.Start("ffmpeg", $"-hide_banner -loglevel error -nostdin -rtsp_transport udp -timeout 4000000 {(thumbnails ? "-skip_frame nokey " : "")}-i rtsp://127.0.0.1:{clientPort}/{n} {thumbs}" +
            $"-map 0:v:0 -c:v copy -an -f hls -hls_time 1 -hls_list_size 0 -hls_flags independent_segments+program_date_time+temp_file " +
            $"-hls_segment_filename \"{dir}/%06d.ts\" \"{dir}/live.m3u8\"");
    }).ToList();
    try
    {
        Console.WriteLine($"[bare] {cameras.Count} bare ffmpeg -c copy processes{(thumbnails ? " with thumbnails" : "")}, warming up {options.Warmup} s");
        await Task.Delay(TimeSpan.FromSeconds(options.Warmup));
        var result = await MeasureAsync(thumbnails ? "bare+thumbs" : "bare ffmpeg", cameras.Count, seconds, () => [.. processes.Select(p => p.Id)],
            id => File.ReadAllTextAsync(Path.Combine(dataDir, id, "live.m3u8")), cameras);
        result.Missing = cameras.Sum(c =>
        {
            var playlist = Path.Combine(dataDir, c, "live.m3u8");
            var segments = File.Exists(playlist) ? HlsPlaylist.Parse(File.ReadAllText(playlist)).Segments.Select(s => (s.ProgramDateTime, s.Duration)).ToList() : [];
            return Gaps.Missing(segments, result.From, result.To);
        });
        return result;
    }
    finally
    {
        foreach (var p in processes) Proc.Stop(p);
    }
}

async Task<PhaseResult> MeasureAsync(string name, int count, int seconds, Func<List<int>> pids, Func<string, Task<string>> fetchPlaylist, List<string> ids)
{
    var from = DateTimeOffset.UtcNow;
    var startPids = pids();
    var cpuStart = startPids.ToDictionary(p => p, Proc.CpuTicks);
    var latencies = new List<double>();
    var watch = Stopwatch.StartNew();
    var memorySamples = new List<double>();
    var i = 0;
    while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
    {
        // One playlist fetch per camera every ~2 s, spread evenly.
        var id = ids[i++ % ids.Count];
        try
        {
            var playlist = HlsPlaylist.Parse(await fetchPlaylist(id));
            if (playlist.Segments.Count > 0)
            {
                var last = playlist.Segments[^1];
                latencies.Add((DateTimeOffset.UtcNow - last.ProgramDateTime.AddSeconds(last.Duration)).TotalSeconds);
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or UnauthorizedAccessException)
        {
        }
        if (i % ids.Count == 0) memorySamples.Add(pids().Sum(Proc.PssKb) / 1024.0);
        await Task.Delay(TimeSpan.FromSeconds(2.0 / ids.Count));
    }
    var endPids = pids();
    var ticks = endPids.Sum(p => Proc.CpuTicks(p) - cpuStart.GetValueOrDefault(p));
    var wall = watch.Elapsed.TotalSeconds;
    var to = DateTimeOffset.UtcNow;
    latencies.Sort();
    var phase = new PhaseResult(name, count, wall)
    {
        From = from.AddSeconds(2), To = to.AddSeconds(-3),
        CpuPerCamera = ticks / (double)Proc.TicksPerSecond / wall / count * 100,
        MemoryPerCameraMb = (memorySamples.Count > 0 ? memorySamples.Average() : endPids.Sum(Proc.PssKb) / 1024.0) / count,
        LatencyP50 = Percentile(latencies, 0.5), LatencyP95 = Percentile(latencies, 0.95), Samples = latencies.Count,
    };
    Console.WriteLine($"[{name}] measured; load {Proc.LoadAverage()}");
    return phase;
}

static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

namespace Portal.Bench.Cameras
{
    internal sealed record BenchOptions(int Cameras, int Seconds, int Warmup, int Masked, int Demo, int ShortSeconds, int BareThumbs)
    {
        public static BenchOptions Parse(string[] args)
        {
            int Get(string name, int fallback)
            {
                var i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
            }
            return new BenchOptions(Get("--cameras", 50), Get("--seconds", 120), Get("--warmup", 15), Get("--masked", 1), Get("--demo", 4), Get("--short-seconds", 40), Get("--bare-thumbs", 1));
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
        public int Missing { get; set; }
        public int Restarts { get; set; }

        public string Format() => string.Create(CultureInfo.InvariantCulture,
            $"{Name,-12} cameras {Cameras,3}  CPU/camera {CpuPerCamera,6:0.00}% of a core  PSS/camera {MemoryPerCameraMb,6:0.0} MB  " +
            $"segments missing {Missing}  latency p50 {LatencyP50:0.00} s p95 {LatencyP95:0.00} s ({Samples} fetches)  restarts {Restarts}  over {Seconds:0} s");
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

        public static List<int> FfmpegUnder(string dir)
        {
            var pids = new List<int>();
            foreach (var proc in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(proc), out var pid)) continue;
                try
                {
                    var cmd = File.ReadAllText(Path.Combine(proc, "cmdline"));
                    if (cmd.StartsWith("ffmpeg", StringComparison.Ordinal) || cmd.Contains("/ffmpeg\0", StringComparison.Ordinal))
                        if (cmd.Contains(dir + "/", StringComparison.Ordinal)) pids.Add(pid);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
            return pids;
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
