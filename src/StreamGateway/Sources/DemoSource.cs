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

    public override bool Matches(string source) => source == CameraSources.Demo;

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
    /// The running clock in the election's time zone (what a citizen's own clock says), not the host's: the frame's
    /// timestamp (paced by -re from 0 at the start of the run) plus the run's start in local seconds.
    /// </summary>
    private static string Clock(FfmpegCommandBuilder.Context c, string fontFile)
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(c.RunId);
        var offset = c.TimeZone?.GetUtcOffset(start) ?? TimeSpan.Zero;
        var epoch = (c.RunId + (long)offset.TotalMilliseconds) / 1000.0;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var zone = offset.Minutes == 0 ? $"UTC{sign}{Math.Abs(offset.Hours)}" : $"UTC{sign}{Math.Abs(offset.Hours)}{Math.Abs(offset.Minutes):00}";
        return string.Create(CultureInfo.InvariantCulture,
            $"drawtext=fontfile={fontFile}:fontsize=22:fontcolor=white:box=1:boxcolor=black@0.6:x=16:y=h-40:text='%{{pts\\:gmtime\\:{epoch:0.###}\\:%Y-%m-%d %H\\\\\\:%M\\\\\\:%S}} {zone}'");
    }
}
