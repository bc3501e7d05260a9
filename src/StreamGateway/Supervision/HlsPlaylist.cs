using System.Globalization;

namespace Portal.StreamGateway.Supervision;

public sealed record HlsSegment(string Name, double Duration, DateTimeOffset ProgramDateTime);

/// <summary>The little of a live media playlist the supervisor needs (ffmpeg writes it, we only read it).</summary>
public sealed record HlsPlaylist(double TargetDuration, IReadOnlyList<HlsSegment> Segments)
{
    public static HlsPlaylist Parse(string text)
    {
        double target = 0, duration = 0;
        DateTimeOffset? pdt = null;
        var segments = new List<HlsSegment>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("#EXT-X-TARGETDURATION:", StringComparison.Ordinal))
                double.TryParse(line.AsSpan(22), NumberStyles.Float, CultureInfo.InvariantCulture, out target);
            else if (line.StartsWith("#EXTINF:", StringComparison.Ordinal))
            {
                var value = line.AsSpan(8);
                var comma = value.IndexOf(',');
                double.TryParse(comma >= 0 ? value[..comma] : value, NumberStyles.Float, CultureInfo.InvariantCulture, out duration);
            }
            else if (line.StartsWith("#EXT-X-PROGRAM-DATE-TIME:", StringComparison.Ordinal))
                pdt = ParsePdt(line[25..]);
            else if (line.StartsWith("#EXT-X-DISCONTINUITY", StringComparison.Ordinal) && !line.StartsWith("#EXT-X-DISCONTINUITY-", StringComparison.Ordinal))
                pdt = null;
            else if (!line.StartsWith('#'))
            {
                if (pdt is { } at) segments.Add(new HlsSegment(line, duration, at));
                // ffmpeg writes a program-date-time for every segment; advance for robustness all the same.
                pdt = pdt?.AddSeconds(duration);
                duration = 0;
            }
        }
        return new HlsPlaylist(target, segments);
    }

    public static DateTimeOffset? ParsePdt(string value)
    {
        // ffmpeg writes "+0000" offsets, which DateTimeOffset parses; ISO "Z" forms parse too.
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }
}
