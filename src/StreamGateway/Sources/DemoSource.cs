using System.Globalization;
using Portal.Grains.Model;
using Portal.StreamGateway.Supervision;

namespace Portal.StreamGateway.Sources;

/// <summary>
/// <c>demo</c>: a generated moving picture (lavfi testsrc2 at Gateway:DemoSize / DemoFps) with the station number and a
/// running clock, encoded with libx264 ultrafast and a keyframe every segment.
/// </summary>
public sealed class DemoSource : CameraSourceKind
{
    public override string Name => CameraSources.Demo;

    public override bool Matches(string source) => CameraSources.IsDemo(source);

    public override bool Encodes => true;

    public override SourceInput Input(FfmpegCommandBuilder.Context c) => new($"testsrc2=size={c.Options.DemoSize}:rate={c.Options.DemoFps}", "-re -f lavfi");

    public override IEnumerable<string> PictureFilters(FfmpegCommandBuilder.Context c)
    {
        // A ballot-box camera's picture: the box and each ballot dropping into it (docs/counting.md).
        if (c.BallotDrops is not null)
            foreach (var filter in FfmpegCommandBuilder.BallotBoxScene(c.BallotDrops)) yield return filter;
        // Without the font the picture simply has no text.
        if (!File.Exists(c.Options.FontFile)) yield break;
        // The station number and a running clock, so a viewer sees at once which station and that it is live.
        yield return $"drawtext=fontfile={c.Options.FontFile}:fontsize=28:fontcolor=white:box=1:boxcolor=black@0.6:x=16:y=16:text='Station {c.StationNumber}':expansion=none";
        yield return Clock(c, c.Options.FontFile);
    }

    public override string EncoderArguments(FfmpegCommandBuilder.Context c)
    {
        var gop = c.Options.DemoFps * c.Options.SegmentSeconds;
        return string.Create(CultureInfo.InvariantCulture,
            $"-c:v libx264 -preset ultrafast -tune zerolatency -pix_fmt yuv420p -g {gop} -keyint_min {gop} -sc_threshold 0 -crf 30 -maxrate 500k -bufsize 1000k ");
    }

    /// <summary>
    /// The running clock in the election's time zone (what a citizen's own clock says), not the host's. Normally the
    /// frame's timestamp (paced by -re from 0 at the start of the run) plus the run's start in local seconds. When the
    /// election clock is accelerated (the demo day) the picture shows election time instead, the clock the pages show:
    /// see <see cref="AcceleratedClockText"/>.
    /// </summary>
    private static string Clock(FfmpegCommandBuilder.Context c, string fontFile)
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(c.RunId);
        var style = $"drawtext=fontfile={fontFile}:fontsize=22:fontcolor=white:box=1:boxcolor=black@0.6:x=16:y=h-40:text=";
        if (c.Clock is { IsAccelerated: true } clock)
        {
            var election = clock.ElectionTimeOf(start);
            return style + AcceleratedClockText(election.TimeOfDay.TotalSeconds, c.RunId / 1000.0, clock.Speed, Zone(election.Offset));
        }
        var offset = c.TimeZone?.GetUtcOffset(start) ?? TimeSpan.Zero;
        var epoch = (c.RunId + (long)offset.TotalMilliseconds) / 1000.0;
        return style + string.Create(CultureInfo.InvariantCulture, $"'%{{pts\\:gmtime\\:{epoch:0.###}\\:%Y-%m-%d %H\\\\\\:%M\\\\\\:%S}} {Zone(offset)}'");
    }

    /// <summary>
    /// The drawtext text of election time on an accelerated day: HH:MM:SS computed per frame as
    /// <paramref name="localSecondsAtStart"/> + (wall clock - <paramref name="realStartSeconds"/>) x <paramref name="speed"/>
    /// (<c>%{eif:...:d:2}</c> fields), the election clock's line through the run's start. The wall clock at rendering
    /// (<c>time(0)</c>), not the frame time <c>t</c>: the archive dates each segment by ffmpeg's wall clock when its muxer
    /// starts (program-date-time), about half a second after the run id on this machine, which the speed (84x by default)
    /// would turn into 40 election seconds between the picture and the rewind field; the wall clock at rendering is
    /// within milliseconds of the segment's program-date-time. No date: it would need calendar arithmetic in the
    /// expression, and the election day is on the page. <paramref name="realSeconds"/> lets a test put a known instant.
    /// </summary>
    public static string AcceleratedClockText(double localSecondsAtStart, double realStartSeconds, double speed, string zone, string realSeconds = "time(0)")
    {
        var seconds = string.Create(CultureInfo.InvariantCulture, $"({localSecondsAtStart:0.###}+({realSeconds}-{realStartSeconds:0.###})*{speed:0.############})");
        // Escaped for the filter script: \: separates eif's arguments, \, a comma inside the quoted text, \\\: a literal colon.
        string Field(string value, int modulo) => $"%{{eif\\:mod(floor({value})\\,{modulo})\\:d\\:2}}";
        return $"'{Field(seconds + "/3600", 24)}\\\\\\:{Field(seconds + "/60", 60)}\\\\\\:{Field(seconds, 60)} {zone}'";
    }

    /// <summary>The zone as the picture shows it: UTC+5, UTC+5:30 as UTC+530, UTC-3.</summary>
    private static string Zone(TimeSpan offset)
    {
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return offset.Minutes == 0 ? $"UTC{sign}{Math.Abs(offset.Hours)}" : $"UTC{sign}{Math.Abs(offset.Hours)}{Math.Abs(offset.Minutes):00}";
    }
}
