using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.StreamGateway.Supervision;

namespace Portal.StreamGateway.Health;

/// <summary>
/// Thumbnails of the copy cameras of this node, taken from the segments they already wrote: every
/// <see cref="GatewayOptions.CopyThumbnailSeconds"/> one ffmpeg decodes the first keyframe of each camera's newest
/// segment (up to <see cref="GatewayOptions.ThumbnailBatch"/> cameras per process) and writes each camera's
/// <c>thumb.jpg</c>; the camera's worker analyses it as before (black, frozen). The camera's own ffmpeg then only
/// copies: ffmpeg 5.1 cannot decode fewer than every keyframe inside the remuxing process, which cost about as much as
/// the remux itself (docs/perf.md). One process per batch, not per camera: a process start costs several thumbnails.
/// </summary>
public sealed partial class SegmentThumbnailer(IOptions<GatewayOptions> options, FfmpegLauncher launcher, ILogger<SegmentThumbnailer> logger, TimeProvider time)
    : BackgroundService
{
    private readonly ConcurrentDictionary<string, string> _newest = new(StringComparer.Ordinal);

    /// <summary>Thumbnails written since start (a metric for the benchmark and the logs).</summary>
    public long Written => Interlocked.Read(ref _written);

    private long _written;

    /// <summary>The newest complete segment of a copy camera: its first keyframe is the camera's next thumbnail.</summary>
    public void Offer(string cameraDir, string segmentPath) => _newest[cameraDir] = segmentPath;

    /// <summary>The camera stopped (or moved to another node): no thumbnail from its last segment.</summary>
    public void Forget(string cameraDir) => _newest.TryRemove(cameraDir, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var interval = TimeSpan.FromSeconds(o.CopyThumbnailSeconds);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(interval, time, stoppingToken);
                var due = new List<(string Dir, string Segment)>();
                foreach (var dir in _newest.Keys)
                    if (_newest.TryRemove(dir, out var segment) && File.Exists(segment)) due.Add((dir, segment));
                foreach (var batch in due.Chunk(o.ThumbnailBatch))
                    await RunBatchAsync(batch, interval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>The ffmpeg arguments for one batch: per camera a keyframe-only, one-thread, no-deblocking input and one JPEG output.</summary>
    public static IReadOnlyList<string> Arguments(IReadOnlyList<(string Dir, string Segment)> batch, GatewayOptions o)
    {
        var inv = CultureInfo.InvariantCulture;
        var args = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-filter_threads", "1" };
        foreach (var (_, segment) in batch)
            args.AddRange(["-skip_frame", "nokey", "-skip_loop_filter", "all", "-threads", "1", "-i", segment]);
        for (var i = 0; i < batch.Count; i++)
            args.AddRange(["-map", string.Create(inv, $"{i}:v:0"), "-frames:v", "1", "-vf", string.Create(inv, $"scale={o.ThumbnailWidth}:-2:flags=fast_bilinear"),
                "-threads", "1", "-q:v", "10", "-update", "1", "-atomic_writing", "1", "-y", "-f", "image2", Path.Combine(batch[i].Dir, CameraPaths.Thumbnail)]);
        return args;
    }

    private async Task RunBatchAsync(IReadOnlyList<(string Dir, string Segment)> batch, TimeSpan interval, CancellationToken stopping)
    {
        var info = new ProcessStartInfo(launcher.FfmpegPath) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in Arguments(batch, options.Value)) info.ArgumentList.Add(a);
        Process process;
        try
        {
            // Forked on the launcher's thread, so the kernel ends it with this node (PR_SET_PDEATHSIG).
            process = await launcher.StartAsync(() => Task.FromResult(Process.Start(info)!));
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            LogFailed(logger, batch.Count, e.Message);
            return;
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(stopping);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            // A batch that takes longer than the interval is starved or stuck: end it, the next round tries again.
            deadline.CancelAfter(interval * 2);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(); } catch (InvalidOperationException) { }
                if (stopping.IsCancellationRequested) throw;
                LogFailed(logger, batch.Count, "timed out");
                return;
            }
            var errors = await stderr;
            // A segment deleted meanwhile (retention) fails its own output only; the others are written.
            if (process.ExitCode != 0) LogFailed(logger, batch.Count, Redaction.Redact(errors.Trim(), ""));
            else Interlocked.Add(ref _written, batch.Count);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Segment thumbnails for {Count} cameras failed: {Error}")]
    private static partial void LogFailed(ILogger logger, int count, string error);
}
