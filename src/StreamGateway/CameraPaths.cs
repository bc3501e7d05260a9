using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Portal.Grains.Model;

namespace Portal.StreamGateway;

/// <summary>Where one camera's files live: {DataDir}/{cameraId}/ holds the live playlist, every segment of the retention period, the thumbnail and the day index.</summary>
public sealed partial class CameraPaths(IOptions<GatewayOptions> options)
{
    public const string LivePlaylist = "live.m3u8";
    public const string Thumbnail = "thumb.jpg";
    public const string IndexFolder = "index";

    public string Root { get; } = Path.GetFullPath(options.Value.DataDir);

    /// <summary>Camera ids reach the file system: the definition's one rule (no '.', no separator), checked again here.</summary>
    public static bool IsSafeCameraId(string? cameraId) => CameraIds.IsValid(cameraId);

    /// <summary>Segment names are "{runId}-{sequence}.ts": runId (unix ms at process start) never repeats, so neither does a name.</summary>
    public static bool IsSegmentName(string? name) => name is not null && SegmentName().IsMatch(name);

    public string CameraDir(string cameraId)
    {
        if (!IsSafeCameraId(cameraId)) throw new ArgumentException("not a valid camera id", nameof(cameraId));
        var dir = Path.GetFullPath(Path.Combine(Root, cameraId));
        // Belt and braces: the id pattern already excludes separators.
        if (!dir.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new ArgumentException("not a valid camera id", nameof(cameraId));
        return dir;
    }

    public string File(string cameraId, string name) => Path.Combine(CameraDir(cameraId), name);

    public string IndexFile(string cameraId, DateOnly utcDay) => Path.Combine(CameraDir(cameraId), IndexFolder, $"{utcDay:yyyy-MM-dd}.idx");

    public static long? RunIdOf(string segmentName)
    {
        var dash = segmentName.IndexOf('-');
        return dash > 0 && long.TryParse(segmentName.AsSpan(0, dash), out var run) ? run : null;
    }

    [GeneratedRegex("^[0-9]{10,16}-[0-9]{6,9}\\.ts$")]
    private static partial Regex SegmentName();
}
