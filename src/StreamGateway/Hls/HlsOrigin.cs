using Portal.StreamGateway.Health;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Portal.Grains.Model;
using Portal.StreamGateway.Archive;

namespace Portal.StreamGateway.Hls;

/// <summary>Serves a camera's HLS from disk. Only defined, enabled camera ids and well-formed file names reach the file system.</summary>
public static class HlsOrigin
{
    public const string PlaylistType = "application/vnd.apple.mpegurl";
    public const string SegmentType = "video/mp2t";
    public static readonly TimeSpan MaxArchiveRange = TimeSpan.FromHours(24);

    public static IResult Live(string cameraId, HttpContext http, ElectionCatalog catalog, CameraPaths paths)
    {
        if (Reject(cameraId, catalog) is { } rejected) return rejected;
        var file = paths.File(cameraId, CameraPaths.LivePlaylist);
        if (!File.Exists(file)) return NotYet(http);
        http.Response.Headers.CacheControl = "public, max-age=1";
        return Results.File(file, PlaylistType);
    }

    public static IResult Segment(string cameraId, string segment, HttpContext http, ElectionCatalog catalog, CameraPaths paths)
    {
        if (Reject(cameraId, catalog) is { } rejected) return rejected;
        if (!CameraPaths.IsSegmentName(segment)) return Results.NotFound();
        var file = paths.File(cameraId, segment);
        if (!File.Exists(file)) return Results.NotFound();
        // Names are never reused, so a segment never changes: a CDN may keep it as long as it likes.
        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return Results.File(file, SegmentType, enableRangeProcessing: true);
    }

    public static IResult Thumbnail(string cameraId, HttpContext http, ElectionCatalog catalog, CameraPaths paths)
    {
        if (Reject(cameraId, catalog) is { } rejected) return rejected;
        var file = paths.File(cameraId, CameraPaths.Thumbnail);
        // Someone looks at it: the owning node samples this camera more often for a while (SegmentThumbnailer).
        ThumbnailWatch.Mark(paths.CameraDir(cameraId));
        if (!File.Exists(file)) return NotYet(http);
        http.Response.Headers.CacheControl = "public, max-age=2";
        return Results.File(file, "image/jpeg");
    }

    public static IResult Archive(string cameraId, string? from, string? to, HttpContext http, ElectionCatalog catalog, CameraPaths paths,
        SegmentIndex index, IOptions<GatewayOptions> options, TimeProvider time)
    {
        if (Reject(cameraId, catalog) is { } rejected) return rejected;
        var now = time.GetUtcNow();
        var today = TimeZoneInfo.ConvertTime(now, catalog.TimeZone);
        var start = new DateTimeOffset(today.Date, today.Offset);
        if (from is not null && !TryParseTime(from, out start)) return Invalid("from", "must be an ISO 8601 time with offset");
        var end = now;
        if (to is not null && !TryParseTime(to, out end)) return Invalid("to", "must be an ISO 8601 time with offset");
        if (end <= start) return Invalid("to", "must be after from");
        if (end - start > MaxArchiveRange) return Invalid("to", $"the range may span at most {MaxArchiveRange.TotalHours:0} hours");

        var segments = index.Read(cameraId, start, end);
        var dir = paths.CameraDir(cameraId);
        // The disk budget may have removed old segments before their index line.
        segments.RemoveAll(s => !File.Exists(Path.Combine(dir, s.Name)));
        // A range reaching into the last minute still grows; an older one is final.
        http.Response.Headers.CacheControl = end > now.AddMinutes(-1) ? "public, max-age=1" : "public, max-age=3600";
        return Results.Text(ArchivePlaylist.Build(segments, options.Value.SegmentSeconds), PlaylistType);
    }

    /// <summary>400 for ids that could never be a camera (and could reach outside its folder), 404 for unknown or disabled cameras.</summary>
    private static IResult? Reject(string cameraId, ElectionCatalog catalog)
    {
        if (!CameraPaths.IsSafeCameraId(cameraId)) return Invalid("cameraId", "not a camera id");
        return catalog.FindCamera(cameraId) is { Camera.Enabled: true } ? null : Results.NotFound();
    }

    private static IResult NotYet(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-cache";
        return Results.NotFound();
    }

    private static IResult Invalid(string field, string message) =>
        Results.BadRequest(new { errors = new[] { new { field, code = "invalid", message } } });

    private static bool TryParseTime(string value, out DateTimeOffset at) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);

    internal static void AddCors(HttpResponse response, string origin)
    {
        response.Headers.AccessControlAllowOrigin = origin;
        response.Headers.AccessControlExposeHeaders = "Content-Length, Content-Range, Accept-Ranges";
        if (origin != "*") response.Headers.Vary = HeaderNames.Origin;
    }
}
