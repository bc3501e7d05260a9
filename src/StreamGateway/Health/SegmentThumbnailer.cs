using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.StreamGateway.Supervision;
using SkiaSharp;

namespace Portal.StreamGateway.Health;

/// <summary>
/// Thumbnails and picture health of the copy cameras of this node, from the segments they already wrote: the first
/// keyframe of a camera's newest segment is cut out of the .ts (<see cref="KeyframeAccessUnit"/>) and decoded by the
/// node's one long-running <see cref="KeyframeDecoder"/>; the raw picture gives the camera's <see cref="PictureHealth"/>
/// (black, frozen) and, when someone looks (<see cref="CopyCameraPicture.WantsJpeg"/>), its <c>thumb.jpg</c>. The camera's
/// own ffmpeg only copies.
/// How often (docs/video.md "Bounds of picture health"): every <see cref="GatewayOptions.CopyHealthSeconds"/> (13 s) in
/// the background; every <see cref="GatewayOptions.CopyThumbnailSeconds"/> (7 s) while someone looks at the thumbnail
/// (<see cref="ThumbnailWatch"/>); at once when the segments' size jumps (a picture that freezes or goes black shrinks
/// its segments several times over); and when a sample was black or the same as the one before, again when it can
/// decide (after <see cref="GatewayOptions.BlackAfter"/> or <see cref="GatewayOptions.FrozenAfter"/>).
/// </summary>
public sealed partial class SegmentThumbnailer(IOptions<GatewayOptions> options, FfmpegLauncher launcher, ILogger<SegmentThumbnailer> logger, TimeProvider time)
    : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(500);

    private readonly ConcurrentDictionary<string, CopyCameraPicture> _cameras = new(StringComparer.Ordinal);

    /// <summary>Thumbnails written since start (a metric for the benchmark and the logs).</summary>
    public long Written => Interlocked.Read(ref _written);

    private long _written;

    /// <summary>Decoder processes started since start (restarts included).</summary>
    public int DecoderStarts { get; private set; }

    /// <summary>A copy camera of this node: its worker offers its segments and reads its picture health here.</summary>
    public CopyCameraPicture Register(string cameraDir)
    {
        var camera = new CopyCameraPicture(cameraDir, options.Value, time);
        _cameras[cameraDir] = camera;
        return camera;
    }

    /// <summary>The camera stopped (or moved to another node): no thumbnail from its last segment.</summary>
    public void Forget(string cameraDir) => _cameras.TryRemove(cameraDir, out _);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        var width = Math.Max(o.ThumbnailWidth, PictureSample.Width);
        var height = Math.Max(PictureSample.Height, width * 9 / 16 / 2 * 2);
        await using var decoder = new KeyframeDecoder(launcher, width, height, logger);
        var rgba = new byte[decoder.FrameBytes];
        using var timer = new PeriodicTimer(Tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = time.GetUtcNow();
                foreach (var camera in _cameras.Values)
                {
                    if (camera.Due(now) is not { } segment) continue;
                    byte[]? unit;
                    try
                    {
                        unit = KeyframeAccessUnit.Read(segment);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        // Removed meanwhile (retention, the camera moved): the next segment is tried.
                        camera.Skipped(segment, now);
                        continue;
                    }
                    if (unit is null)
                    {
                        camera.Skipped(segment, now);
                        continue;
                    }
                    if (!await decoder.DecodeAsync(unit, rgba, stoppingToken))
                    {
                        camera.Skipped(segment, now);
                        continue;
                    }
                    var at = time.GetUtcNow();
                    camera.Observe(segment, PictureSample.FromRgba(rgba, width, height), at);
                    // Health needs every sample; the JPEG only someone who looks (a JPEG is half a sample's .NET cost).
                    if (camera.WantsJpeg(at) && WriteJpeg(Path.Combine(camera.Dir, CameraPaths.Thumbnail), rgba, width, height))
                    {
                        camera.JpegWritten(at);
                        Interlocked.Increment(ref _written);
                    }
                }
                DecoderStarts = decoder.Starts;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Writes the picture as the camera's thumbnail, atomically (temp file + rename): a reader never sees half a JPEG.</summary>
    private bool WriteJpeg(string path, byte[] rgba, int width, int height)
    {
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque), handle.AddrOfPinnedObject());
            using var jpeg = pixmap.Encode(SKEncodedImageFormat.Jpeg, 75);
            if (jpeg is null) return false;
            var temp = path + ".tmp";
            using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
                file.Write(jpeg.AsSpan());
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogWriteFailed(logger, path, e.Message);
            return false;
        }
        finally
        {
            handle.Free();
        }
    }

    [LoggerMessage(LogLevel.Warning, "Thumbnail {Path} not written: {Error}")]
    private static partial void LogWriteFailed(ILogger logger, string path, string error);
}

/// <summary>
/// One copy camera as the <see cref="SegmentThumbnailer"/> follows it: its newest segment, the size of its segments (the
/// cheap signal), when it is next sampled, and its <see cref="PictureHealth"/>. The camera's worker offers segments and
/// reads the health; the thumbnailer's loop samples. Guarded by a lock (two threads, never contended for long).
/// </summary>
public sealed class CopyCameraPicture
{
    /// <summary>A jump of the segments' byte rate by this factor (either way) is a picture that changed.</summary>
    private const double SizeJump = 2.5;

    private static readonly TimeSpan WatchCheck = TimeSpan.FromSeconds(2);

    /// <summary>An unwatched camera's <c>thumb.jpg</c> is renewed this often (from a sample taken anyway): what a tile shows
    /// in the seconds before its first watched sample, and what a reader of the folder finds.</summary>
    public static readonly TimeSpan UnwatchedJpegEvery = TimeSpan.FromSeconds(60);

    private readonly Lock _lock = new();
    private readonly PictureHealth _health;
    private readonly GatewayOptions _options;
    private readonly TimeSpan _background;
    private readonly TimeSpan _watched;
    private readonly TimeSpan _hintSpacing;
    private readonly string _watchFile;
    private string? _newest;
    private string? _sampled;
    private DateTimeOffset? _sampledAt;
    private DateTimeOffset? _hint;
    private DateTimeOffset _watchedUntil;
    private DateTimeOffset _watchCheckedAt;
    private DateTimeOffset? _jpegAt;
    private double _rate;
    private int _segments;

    internal CopyCameraPicture(string dir, GatewayOptions options, TimeProvider time)
    {
        Dir = dir;
        _options = options;
        _health = new PictureHealth(options);
        _background = TimeSpan.FromSeconds(options.CopyHealthSeconds);
        _watched = TimeSpan.FromSeconds(options.CopyThumbnailSeconds);
        _hintSpacing = TimeSpan.FromSeconds(Math.Min(options.CopyThumbnailSeconds, 4));
        _watchFile = Path.Combine(dir, ThumbnailWatch.FileName);
        _watchCheckedAt = time.GetUtcNow() - WatchCheck;
    }

    public string Dir { get; }

    public bool IsBlack
    {
        get
        {
            lock (_lock) return _health.IsBlack;
        }
    }

    public bool IsFrozen
    {
        get
        {
            lock (_lock) return _health.IsFrozen;
        }
    }

    /// <summary>Samples taken (a metric for tests).</summary>
    public int Samples { get; private set; }

    /// <summary>A new complete segment of this run (<paramref name="bytes"/> over <paramref name="seconds"/>).</summary>
    public void Offer(string segmentPath, long bytes, double seconds, DateTimeOffset now)
    {
        lock (_lock)
        {
            _newest = segmentPath;
            if (seconds <= 0) return;
            var rate = bytes / seconds;
            if (_segments >= 3 && (rate * SizeJump < _rate || rate > _rate * SizeJump))
            {
                // The picture changed character (froze, went black, came back): sample soon, from the new level on.
                _hint = _hint is { } h && h < now ? h : now;
                _rate = rate;
            }
            else _rate = _segments == 0 ? rate : _rate * 0.8 + rate * 0.2;
            _segments++;
        }
    }

    /// <summary>A new run of the camera's process: what was seen before proves nothing about it.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _health.Reset();
            _newest = _sampled = null;
            _sampledAt = _hint = _jpegAt = null;
            _segments = 0;
        }
    }

    /// <summary>The segment to sample now, or null.</summary>
    internal string? Due(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_newest is null || _newest == _sampled) return null;
            if (_sampledAt is not { } last) return _newest;
            if (_hint is { } hint && now >= hint && now - last >= _hintSpacing) return _newest;
            if (now - last >= _background) return _newest;
            return now - last >= _watched && IsWatched(now) ? _newest : null;
        }
    }

    private bool IsWatched(DateTimeOffset now)
    {
        if (now < _watchedUntil) return true;
        if (now - _watchCheckedAt < WatchCheck) return false;
        _watchCheckedAt = now;
        // Any node that serves the thumbnail marks it (the video folder is shared in a cluster): one stat every 2 s at most.
        var touched = File.GetLastWriteTimeUtc(_watchFile);
        _watchedUntil = new DateTimeOffset(DateTime.SpecifyKind(touched, DateTimeKind.Utc)) + ThumbnailWatch.WatchedFor;
        return now < _watchedUntil;
    }

    /// <summary>Whether the sample just taken should also be written as <c>thumb.jpg</c>: the first of the camera's run,
    /// every one while the thumbnail is watched, otherwise once every <see cref="UnwatchedJpegEvery"/>.</summary>
    internal bool WantsJpeg(DateTimeOffset now)
    {
        lock (_lock) return _jpegAt is not { } last || now - last >= UnwatchedJpegEvery || IsWatched(now);
    }

    internal void JpegWritten(DateTimeOffset at)
    {
        lock (_lock) _jpegAt = at;
    }

    internal void Skipped(string segment, DateTimeOffset now)
    {
        lock (_lock)
        {
            _sampled = segment;
            _sampledAt ??= now;
        }
    }

    internal void Observe(string segment, PictureSample sample, DateTimeOffset at)
    {
        lock (_lock)
        {
            // A sample of the previous run (the camera restarted while it was decoded) proves nothing about this one.
            if (_newest is null) return;
            _sampled = segment;
            _sampledAt = at;
            _hint = null;
            _health.Observe(sample, at);
            Samples++;
            // A black or an unchanged picture is sampled again as soon as it can be judged, not at the background pace.
            if (_health.BlackSince is { } black && !_health.IsBlack) _hint = black + _options.BlackAfter;
            else if (_health.SameSince is { } same && !_health.IsFrozen) _hint = same + _options.FrozenAfter;
        }
    }
}

/// <summary>
/// "Someone looks at this camera's thumbnail": the HLS origin touches <c>thumb.watch</c> in the camera's folder when it
/// serves <c>thumb.jpg</c> (at most every few seconds a camera), and the owning node's thumbnailer samples a watched
/// camera every <see cref="GatewayOptions.CopyThumbnailSeconds"/>. A file, not a message: in a cluster any node serves
/// the thumbnail from the shared folder, and only one owns the camera.
/// </summary>
public static class ThumbnailWatch
{
    public const string FileName = "thumb.watch";

    /// <summary>A request marks the camera watched for this long (the ops wall refreshes its tiles every 10 s).</summary>
    public static readonly TimeSpan WatchedFor = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan TouchEvery = TimeSpan.FromSeconds(5);
    private static readonly ConcurrentDictionary<string, long> Touched = new(StringComparer.Ordinal);

    public static void Mark(string cameraDir)
    {
        var now = Environment.TickCount64;
        if (Touched.TryGetValue(cameraDir, out var last) && now - last < TouchEvery.TotalMilliseconds) return;
        Touched[cameraDir] = now;
        var path = Path.Combine(cameraDir, FileName);
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
        }
        catch (FileNotFoundException)
        {
            try
            {
                File.WriteAllBytes(path, []);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only origin still serves; the camera is sampled at the background pace.
        }
    }
}
