using System.ComponentModel.DataAnnotations;

namespace Portal.StreamGateway;

/// <summary>Configuration section "Gateway".</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";
    public const string DefaultFontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

    /// <summary>Root of the video data (HLS live window, day archive, thumbnails): {DataDir}/{cameraId}/.</summary>
    [Required] public string DataDir { get; set; } = "data/video";

    /// <summary>Folder holding ffmpeg; empty = PATH.</summary>
    public string FfmpegFolder { get; set; } = "";

    /// <summary>
    /// This node's own folder (never shared): the ffmpeg wrapper and the mark of this node's ffmpeg processes
    /// (<see cref="Supervision.FfmpegLauncher"/>). Empty = a folder per process under the temp dir; the portal uses {data-dir}/run.
    /// </summary>
    public string RuntimeDir { get; set; } = "";

    /// <summary>False: the gateway serves HLS (origin) but supervises no camera on this node.</summary>
    public bool Supervise { get; set; } = true;

    [Range(1, 10)] public int SegmentSeconds { get; set; } = 1;

    /// <summary>Segments in the live playlist (the short window).</summary>
    [Range(3, 60)] public int LiveWindowSegments { get; set; } = 6;

    /// <summary>RTSP socket timeout: a dead source is noticed by ffmpeg itself after this.</summary>
    public TimeSpan SourceTimeout { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>No new segment for this many target durations -> stalled (the process is restarted).</summary>
    [Range(2, 20)] public int StallSegments { get; set; } = 3;

    /// <summary>No segment for this long -> offline.</summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>A fresh process gets this long to write its first segment before it is restarted.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(8);

    public TimeSpan RestartBackoffInitial { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Backoff cap while a source is flapping: low, so a source that returns is live again within seconds.</summary>
    public TimeSpan RestartBackoffMax { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>After this many failed starts in a row the camera is in a restart loop: reported, retried only every <see cref="RestartLoopBackoff"/>.</summary>
    [Range(2, 1000)] public int RestartLoopThreshold { get; set; } = 12;

    public TimeSpan RestartLoopBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many ffmpeg starts per second on a node (all cameras together): no restart storms.</summary>
    [Range(0.1, 1000)] public double MaxStartsPerSecond { get; set; } = 8;

    /// <summary>How long the whole day archive is kept (segments and index).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Disk budget of the video data; the oldest segments of all cameras go first when it is exceeded. 0 = no bound.</summary>
    public long MaxDiskBytes { get; set; } = 200L * 1024 * 1024 * 1024;

    /// <summary>First port of the range for "listen" cameras (ffmpeg -rtsp_flags listen, one port per listen camera).</summary>
    [Range(1, 65535)] public int ListenPortStart { get; set; } = 8554;

    [Range(1, 65535)] public int ListenPortCount { get; set; } = 1000;

    /// <summary>Address the listen ports bind to.</summary>
    public string ListenAddress { get; set; } = "0.0.0.0";

    /// <summary>Thumbnail width in pixels (height keeps the aspect).</summary>
    [Range(32, 640)] public int ThumbnailWidth { get; set; } = 160;

    /// <summary>A thumbnail (and a picture-health sample) of a transcoded camera (masked, demo) this often, from its own filter graph.</summary>
    [Range(1, 30)] public int ThumbnailSeconds { get; set; } = 4;

    /// <summary>
    /// A copy camera's picture is sampled (picture health and a new thumbnail) at least this often, decoded from the first
    /// keyframe of its newest segment by the node's <see cref="Health.SegmentThumbnailer"/>, sooner when its segments'
    /// size jumps: with 12 s a picture that goes black is reported within ~20 s and one that freezes within ~28 s
    /// (docs/video.md "Bounds of picture health"; the bound is 30 s, which 13 s still keeps: ~29.5 s for frozen).
    /// </summary>
    [Range(2, 13)] public int CopyHealthSeconds { get; set; } = 12;

    /// <summary>
    /// A copy camera whose thumbnail is being looked at (served in the last 30 s, <see cref="Health.ThumbnailWatch"/>) is
    /// sampled this often: its thumbnail is then at most ~10 s old.
    /// </summary>
    [Range(1, 30)] public int CopyThumbnailSeconds { get; set; } = 7;

    /// <summary>Successive thumbnails this similar (mean absolute luma difference, 0-255) count as the same picture.</summary>
    public double FrozenDifference { get; set; } = 0.6;

    public TimeSpan FrozenAfter { get; set; } = TimeSpan.FromSeconds(12);

    /// <summary>Mean luma (0-255) below this is black.</summary>
    public double BlackLuma { get; set; } = 20;

    public TimeSpan BlackAfter { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Bitrate and last-segment time are reported this often even without a state change.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A masked camera is re-encoded at most this wide (never upscaled) and at this frame rate: a masked camera must cost a
    /// commission about a tenth of a core, not a third (docs/video.md, "Masks: what is traded").
    /// </summary>
    [Range(160, 1920)] public int MaskWidth { get; set; } = 640;

    [Range(1, 30)] public int MaskFps { get; set; } = 10;

    /// <summary>Demo test picture: light enough for two dozen cameras on two cores.</summary>
    public string DemoSize { get; set; } = "640x360";

    [Range(1, 30)] public int DemoFps { get; set; } = 10;

    public string FontFile { get; set; } = DefaultFontFile;

    /// <summary>"embedded" (this node owns every camera) or "redis" (leases in Redis).</summary>
    public string Placement { get; set; } = "embedded";

    /// <summary>StackExchange.Redis configuration string for Placement = redis.</summary>
    public string? RedisConfiguration { get; set; }

    public string RedisKeyPrefix { get; set; } = "portal:gateway:";

    /// <summary>A node that stops renewing loses its cameras after this.</summary>
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>This node's name in leases and reports; default: machine name + process id.</summary>
    public string? NodeName { get; set; }

    /// <summary>Allowed CORS origin for HLS responses.</summary>
    public string CorsOrigin { get; set; } = "*";

    public double SegmentStallSeconds(double targetDuration) => Math.Max(targetDuration, SegmentSeconds) * StallSegments;
}
