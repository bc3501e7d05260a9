using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Cluster;

/// <summary>
/// Three real nodes (role all, the README's flags) on one real redis-server with four demo cameras (real ffmpeg): one
/// ffmpeg per camera in the whole cluster, every node serves every camera, and the owner's death by SIGKILL takes its
/// ffmpeg with it while a survivor continues the same archive.
/// </summary>
public sealed partial class ClusterVideoTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portal-cluster-video-").FullName;
    private readonly List<PortalProcess> _nodes = [];
    private RedisServer? _redis;
    private TestElectionFiles _files = null!;
    private string[] _cameras = [];

    private string VideoDir => Path.Combine(_dir, "video");

    public async ValueTask InitializeAsync()
    {
        RequiredTool.Find("ffmpeg", "apt-get install -y ffmpeg");
        RequiredTool.Find("setpriv", "apt-get install -y util-linux");
        _redis = await RedisServer.StartAsync();
        _files = TestElectionFiles.Write(_dir, stations: 20, cameraStations: 2, seed: 21);
        _cameras = _files.Election.Stations.SelectMany(s => s.Cameras).Where(c => c.Enabled).Select(c => c.Id).Order(StringComparer.Ordinal).ToArray();
        var clusterId = "video-" + Guid.NewGuid().ToString("N")[..8];
        foreach (var name in new[] { "n1", "n2", "n3" })
            _nodes.Add(PortalProcess.Start(_files.ClusterNode(_dir, name, _redis.ConnectionString, clusterId, "all", "--Gateway:DemoFps", "5")));
        foreach (var node in _nodes) await node.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task EachCameraHasOneFfmpegEveryNodeServesItAndAKilledOwnersCamerasComeBackOnASurvivorWithTheirArchive()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(4, _cameras.Length);

        // Cameras spread as nodes join (one handed back per second): wait for one ffmpeg per camera, stable for 3 s.
        var placement = await WaitForOneFfmpegPerCameraAsync(TimeSpan.FromSeconds(90), ct);
        Assert.All(placement, p => Assert.Contains(_nodes, n => n.Pid == p.ParentPid));
        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"placement: {string.Join(", ", placement.Select(p => $"{p.CameraId}@{p.ParentPid}"))}");

        foreach (var node in _nodes)
            foreach (var camera in _cameras)
                await AssertLiveAsync(node, camera, after: DateTimeOffset.UtcNow.AddSeconds(-10), ct);

        var from = DateTimeOffset.UtcNow.AddSeconds(-15);
        var victim = _nodes.OrderByDescending(n => placement.Count(p => p.ParentPid == n.Pid)).First();
        var victimFfmpeg = placement.Where(p => p.ParentPid == victim.Pid).ToList();
        Assert.NotEmpty(victimFfmpeg);
        var survivors = _nodes.Where(n => n != victim).ToList();
        // A camera whose lease moved while the cluster formed may have started only a moment ago: kill once its archive
        // holds a few seconds, so "segments from before the kill" has something to find.
        List<DateTimeOffset> beforeKill = [];
        using (var victimHttp = new HttpClient { BaseAddress = victim.BaseAddress })
            await Wait.UntilAsync(async () => (beforeKill = await ArchiveTimesAsync(victimHttp, victimFfmpeg[0].CameraId, from, DateTimeOffset.UtcNow, ct))
                    .Any(t => t < DateTimeOffset.UtcNow.AddSeconds(-4)),
                $"camera {victimFfmpeg[0].CameraId} to archive a segment older than 4 s", TimeSpan.FromSeconds(30));

        var killedAt = DateTimeOffset.UtcNow;
        victim.KillProcessOnly();
        // The parent-death signal kills them at once; an orphan would live on indefinitely. 10 s is room for a loaded machine.
        await Wait.UntilAsync(() => victimFfmpeg.All(p => !FfmpegProcesses.IsAlive(p.Pid)), "the killed node's ffmpeg to die with it", TimeSpan.FromSeconds(10),
            () => $"still alive: {string.Join(", ", victimFfmpeg.Where(p => FfmpegProcesses.IsAlive(p.Pid)).Select(p => p.Pid))}");

        // Every camera of the dead node is live again on a survivor within 10 s (the lease's expiry and a restart; 20 s on a
        // loaded 2-core machine): a segment written after the kill.
        var deadline = killedAt.AddSeconds(20);
        foreach (var camera in victimFfmpeg.Select(p => p.CameraId))
        {
            await Wait.UntilAsync(() => FfmpegProcesses.In(VideoDir).Count(p => p.CameraId == camera && survivors.Any(s => s.Pid == p.ParentPid)) == 1,
                $"camera {camera} to have an ffmpeg on a survivor", deadline - DateTimeOffset.UtcNow);
            foreach (var survivor in survivors) await AssertLiveAsync(survivor, camera, after: killedAt, ct, until: deadline.AddSeconds(2));
        }
        Assert.All(_cameras, c => Assert.Single(FfmpegProcesses.In(VideoDir), p => p.CameraId == c));
        output?.WriteLine($"killed {victim.Pid}; back after {(DateTimeOffset.UtcNow - killedAt).TotalSeconds:F1} s: {string.Join(", ", FfmpegProcesses.In(VideoDir).Select(p => $"{p.CameraId}@{p.ParentPid}"))}");

        // The day's archive still plays across the takeover: segments of both runs, a discontinuity between, all served.
        var camera0 = victimFfmpeg[0].CameraId;
        using var http = new HttpClient { BaseAddress = survivors[0].BaseAddress };
        // The new owner indexes a segment a scan after its live playlist shows it, and another node reads the day index
        // from the shared folder when it changes: the first segment after the kill reaches the archive a moment later.
        var archive = "";
        List<DateTimeOffset> times = [];
        await Wait.UntilAsync(async () =>
        {
            archive = await http.GetStringAsync(ArchivePath(camera0, from, DateTimeOffset.UtcNow), ct);
            times = [.. ProgramDateTime().Matches(archive).Select(m => DateTimeOffset.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
            return times.Any(t => t > killedAt) && times.Any(t => t < killedAt.AddSeconds(-2));
        }, $"the archive of {camera0} on a survivor to hold segments from before and after the kill", TimeSpan.FromSeconds(15),
            () => ArchiveDiagnostics(camera0, killedAt, beforeKill, archive), TimeSpan.FromMilliseconds(500));
        Assert.Contains(times, t => t < killedAt.AddSeconds(-2));
        Assert.Contains(times, t => t > killedAt);
        Assert.Contains("#EXT-X-DISCONTINUITY", archive);
        output?.WriteLine($"archive of {camera0}: {times.Count} segments from {times.Min():HH:mm:ss} to {times.Max():HH:mm:ss}");
        var runs = SegmentName().Matches(archive).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(runs.Count >= 2, $"one ffmpeg run in the archive across the takeover:\n{archive}");
        foreach (var segment in SegmentName().Matches(archive).Select(m => m.Value).Take(40))
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/hls/{camera0}/{segment}", ct)).StatusCode);
    }

    /// <summary>What a failed archive check needs: both nodes' playlists, the day index as it is on disk and the segment files.</summary>
    private string ArchiveDiagnostics(string camera, DateTimeOffset killedAt, List<DateTimeOffset> beforeKill, string archive)
    {
        var dir = Path.Combine(VideoDir, camera);
        var text = new System.Text.StringBuilder($"killed at {killedAt:O}; the victim served before: {string.Join(", ", beforeKill.Select(t => t.ToString("O")))}\n");
        text.Append($"the survivor serves:\n{archive}\n");
        foreach (var idx in Directory.EnumerateFiles(Path.Combine(dir, "index"))) text.Append($"{idx}:\n{File.ReadAllText(idx)}\n");
        text.Append("segments: ").AppendJoin(", ", Directory.EnumerateFiles(dir, "*.ts").Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var live = Path.Combine(dir, "live.m3u8");
        if (File.Exists(live)) text.Append($"\nlive.m3u8:\n{File.ReadAllText(live)}");
        return text.ToString();
    }

    private async Task<List<FfmpegProcesses.Entry>> WaitForOneFfmpegPerCameraAsync(TimeSpan timeout, CancellationToken ct)
    {
        var stable = 0;
        List<FfmpegProcesses.Entry> seen = [];
        // A second apart: "stable" is four looks in a row over about three seconds.
        await Wait.UntilAsync(() =>
        {
            seen = FfmpegProcesses.In(VideoDir);
            var one = _cameras.All(c => seen.Count(p => p.CameraId == c) == 1) && seen.Count == _cameras.Length;
            // Spread too: with three nodes no node keeps more than its fair share of two.
            var spread = _nodes.All(n => seen.Count(p => p.ParentPid == n.Pid) <= 2);
            stable = one && spread ? stable + 1 : 0;
            return stable >= 4;
        }, $"one ffmpeg per camera, spread over the nodes", timeout,
            () => $"{string.Join(", ", seen.Select(p => $"{p.CameraId}@{p.ParentPid}"))}; nodes {string.Join(", ", _nodes.Select(n => n.Pid))}", TimeSpan.FromSeconds(1));
        return seen;
    }

    /// <summary>The node answers the camera's live playlist with a segment whose program date-time is after <paramref name="after"/>.</summary>
    private static async Task AssertLiveAsync(PortalProcess node, string camera, DateTimeOffset after, CancellationToken ct, DateTimeOffset? until = null)
    {
        using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var timeout = (until ?? DateTimeOffset.UtcNow.AddSeconds(20)) - DateTimeOffset.UtcNow;
        var last = "";
        await Wait.UntilAsync(async () =>
        {
            using var response = await http.GetAsync($"/hls/{camera}/live.m3u8", ct);
            last = await response.Content.ReadAsStringAsync(ct);
            var newest = ProgramDateTime().Matches(last).Select(m => DateTimeOffset.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).DefaultIfEmpty().Max();
            if (response.StatusCode != HttpStatusCode.OK || newest <= after) return false;
            var segment = last.Split('\n').Last(l => l.EndsWith(".ts", StringComparison.Ordinal));
            using var media = await http.GetAsync($"/hls/{camera}/{segment}", ct);
            Assert.Equal(HttpStatusCode.OK, media.StatusCode);
            return true;
        }, $"{node.BaseAddress} to have a segment of {camera} after {after:O}", timeout, () => last, TimeSpan.FromMilliseconds(300));
    }

    private static string ArchivePath(string camera, DateTimeOffset from, DateTimeOffset to) =>
        $"/hls/{camera}/archive.m3u8?from={Uri.EscapeDataString(from.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))}" +
        $"&to={Uri.EscapeDataString(to.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture))}";

    private static async Task<List<DateTimeOffset>> ArchiveTimesAsync(HttpClient http, string camera, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        using var response = await http.GetAsync(ArchivePath(camera, from, to), ct);
        if (!response.IsSuccessStatusCode) return [];
        return [.. ProgramDateTime().Matches(await response.Content.ReadAsStringAsync(ct)).Select(m => DateTimeOffset.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
    }

    [GeneratedRegex(@"#EXT-X-PROGRAM-DATE-TIME:(\S+)")]
    private static partial Regex ProgramDateTime();

    [GeneratedRegex(@"(\d{10,16})-\d{6,9}\.ts")]
    private static partial Regex SegmentName();
}
