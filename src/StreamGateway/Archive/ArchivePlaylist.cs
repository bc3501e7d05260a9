using System.Globalization;
using System.Text;

namespace Portal.StreamGateway.Archive;

/// <summary>Builds a VOD playlist over archived segments; a gateway or process restart in between is marked as a discontinuity.</summary>
public static class ArchivePlaylist
{
    public static string Build(IReadOnlyList<ArchivedSegment> segments, double nominalSegmentSeconds)
    {
        var text = new StringBuilder();
        var target = segments.Count == 0 ? nominalSegmentSeconds : Math.Max(nominalSegmentSeconds, segments.Max(s => s.Duration));
        text.Append("#EXTM3U\n#EXT-X-VERSION:6\n");
        text.Append(CultureInfo.InvariantCulture, $"#EXT-X-TARGETDURATION:{(int)Math.Ceiling(target)}\n");
        text.Append("#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        ArchivedSegment? previous = null;
        foreach (var s in segments)
        {
            // Another ffmpeg run restarts timestamps; a hole longer than a segment is a gap in the picture.
            if (previous is not null && (s.RunId != previous.RunId || (s.Start - previous.End).TotalSeconds > Math.Max(1.5, target)))
                text.Append("#EXT-X-DISCONTINUITY\n");
            text.Append(CultureInfo.InvariantCulture, $"#EXTINF:{s.Duration:0.000000},\n");
            text.Append(CultureInfo.InvariantCulture, $"#EXT-X-PROGRAM-DATE-TIME:{s.Start.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}\n");
            text.Append(s.Name).Append('\n');
            previous = s;
        }
        text.Append("#EXT-X-ENDLIST\n");
        return text.ToString();
    }
}
