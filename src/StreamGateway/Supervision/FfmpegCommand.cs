using System.Globalization;
using System.Text;
using Portal.Grains.Model;

namespace Portal.StreamGateway.Supervision;

public enum RtspTransport { Tcp, Udp }

/// <summary>One ffmpeg invocation: the input (URL or lavfi graph) with its options, the outputs, and a filter script if any.</summary>
/// <param name="Input">Passed to FFMpegCore as the input; for rtsp:// cameras this is the secret URL.</param>
public sealed record FfmpegCommand(string Input, string InputArguments, string OutputArguments, string OutputFile, string? FilterScript, bool Transcodes)
{
    /// <summary>The command as it may be logged: the input is never shown.</summary>
    public override string ToString() => Redaction.Redact($"{InputArguments} -i <source> {OutputArguments} {OutputFile}", Input);
}

/// <summary>Builds the per-camera ffmpeg command: copy-remux for plain H.264 sources, libx264 for the demo picture and for masked cameras.</summary>
public static class FfmpegCommandBuilder
{
    public const string FilterScriptName = "filter.txt";

    /// <summary>
    /// The input options of a copy camera that serve its thumbnails only: keyframes only, one decoder thread, no deblocking.
    /// </summary>
    public const string ThumbnailDecoderOptions = "-skip_frame nokey -skip_loop_filter all -threads 1";

    public sealed record Context(
        CameraDefinition Camera, int StationNumber, string CameraDir, long RunId, RtspTransport Transport, int? ListenPort, GatewayOptions Options,
        TimeZoneInfo? TimeZone = null, IReadOnlyList<double>? BallotDrops = null);

    public static FfmpegCommand Build(Context c)
    {
        var o = c.Options;
        var masked = c.Camera.Mask is { Count: > 0 };
        var demo = c.Camera.Source == CameraSources.Demo;
        var listen = c.Camera.Source == CameraSources.Listen;
        var inv = CultureInfo.InvariantCulture;

        string input, inputArgs;
        if (demo)
        {
            input = $"testsrc2=size={o.DemoSize}:rate={o.DemoFps}";
            inputArgs = "-re -f lavfi";
        }
        else if (listen)
        {
            input = $"rtsp://{o.ListenAddress}:{c.ListenPort}/{c.Camera.Id}";
            inputArgs = "-rtsp_flags listen -fflags +genpts";
        }
        else
        {
            input = c.Camera.Source;
            var timeoutUs = (long)o.SourceTimeout.TotalMicroseconds;
            inputArgs = string.Create(inv, $"-rtsp_transport {(c.Transport == RtspTransport.Tcp ? "tcp" : "udp")} -timeout {timeoutUs} -analyzeduration 1000000 -probesize 1000000 -fflags +genpts");
        }

        var thumbPath = Quote(Path.Combine(c.CameraDir, CameraPaths.Thumbnail));
        var outputs = new StringBuilder();
        string? script = null;
        var transcodes = demo || masked;
        if (transcodes)
        {
            var chain = new List<string>();
            if (masked)
                foreach (var r in c.Camera.Mask!)
                    chain.Add(string.Create(inv,
                        $"drawbox=x=iw*{Clamp(r.X):0.####}:y=ih*{Clamp(r.Y):0.####}:w=iw*{Clamp(r.Width):0.####}:h=ih*{Clamp(r.Height):0.####}:color=black:t=fill"));
            if (demo && c.BallotDrops is not null) chain.AddRange(BallotBoxScene(c.BallotDrops));
            if (demo && File.Exists(o.FontFile))
            {
                // The station number and a running clock, so a viewer sees at once which station and that it is live.
                chain.Add($"drawtext=fontfile={o.FontFile}:fontsize=28:fontcolor=white:box=1:boxcolor=black@0.6:x=16:y=16:text='Station {c.StationNumber}':expansion=none");
                chain.Add(DemoClock(c, o.FontFile));
            }
            if (chain.Count == 0) chain.Add("null");
            script = string.Create(inv,
                $"[0:v]{string.Join(',', chain)},split=2[hls][th];[th]fps=fps=1/{o.ThumbnailSeconds},scale={o.ThumbnailWidth}:-2:flags=fast_bilinear[thumb]\n");
            outputs.Append(string.Create(inv, $"-filter_complex_script {Quote(Path.Combine(c.CameraDir, FilterScriptName))} "));
            outputs.Append(string.Create(inv, $"-map [thumb] -q:v 8 -update 1 -atomic_writing 1 -f image2 {thumbPath} "));
            outputs.Append("-map [hls] ");
            if (demo && !masked)
            {
                var gop = o.DemoFps * o.SegmentSeconds;
                outputs.Append(string.Create(inv, $"-c:v libx264 -preset ultrafast -tune zerolatency -pix_fmt yuv420p -g {gop} -keyint_min {gop} -sc_threshold 0 -crf 30 -maxrate 500k -bufsize 1000k "));
            }
            else
            {
                outputs.Append(string.Create(inv,
                    $"-c:v libx264 -preset veryfast -tune zerolatency -pix_fmt yuv420p -force_key_frames expr:gte(t,n_forced*{o.SegmentSeconds}) -sc_threshold 0 -crf 24 -maxrate 2500k -bufsize 5000k "));
            }
        }
        else
        {
            // Thumbnails cost little: the decoder sees keyframes only (-skip_frame nokey), runs in one thread (frame threads
            // cost more than they save on one frame a second) and skips the deblocking filter (invisible at thumbnail size);
            // only one keyframe every ThumbnailSeconds is scaled (fast bilinear) and written as a low-quality JPEG. The select
            // also passes a frame whose time went backwards, so a timestamp reset cannot stop the thumbnails.
            inputArgs += " " + ThumbnailDecoderOptions;
            outputs.Append(string.Create(inv,
                $"-map 0:v:0 -filter_threads 1 -vf select='isnan(prev_selected_t)+gte(t-prev_selected_t,{o.ThumbnailSeconds - 0.5:0.0#})+lt(t,prev_selected_t)',scale={o.ThumbnailWidth}:-2:flags=fast_bilinear " +
                $"-fps_mode passthrough -threads 1 -q:v 10 -update 1 -atomic_writing 1 -f image2 {thumbPath} "));
            outputs.Append("-map 0:v:0 -c:v copy ");
        }

        // Audio is never published (secret ballot, voters' privacy).
        outputs.Append(string.Create(inv,
            $"-an -sn -dn -f hls -hls_time {o.SegmentSeconds} -hls_list_size {o.LiveWindowSegments} -hls_segment_type mpegts " +
            $"-hls_flags independent_segments+program_date_time+temp_file+append_list+discont_start+omit_endlist " +
            $"-hls_segment_filename {Quote(Path.Combine(c.CameraDir, $"{c.RunId}-%06d.ts"))}"));

        return new FfmpegCommand(input, "-hide_banner -nostats -loglevel error " + inputArgs, outputs.ToString(), Path.Combine(c.CameraDir, CameraPaths.LivePlaylist), script, transcodes);
    }

    /// <summary>
    /// The running clock of a demo picture in the election's time zone (what a citizen's own clock says), not the host's:
    /// the frame's timestamp (paced by -re from 0 at the start of the run) plus the run's start in local seconds.
    /// </summary>
    private static string DemoClock(Context c, string fontFile)
    {
        var start = DateTimeOffset.FromUnixTimeMilliseconds(c.RunId);
        var offset = c.TimeZone?.GetUtcOffset(start) ?? TimeSpan.Zero;
        var epoch = (c.RunId + (long)offset.TotalMilliseconds) / 1000.0;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var zone = offset.Minutes == 0 ? $"UTC{sign}{Math.Abs(offset.Hours)}" : $"UTC{sign}{Math.Abs(offset.Hours)}{Math.Abs(offset.Minutes):00}";
        return string.Create(CultureInfo.InvariantCulture,
            $"drawtext=fontfile={fontFile}:fontsize=22:fontcolor=white:box=1:boxcolor=black@0.6:x=16:y=h-40:text='%{{pts\\:gmtime\\:{epoch:0.###}\\:%Y-%m-%d %H\\\\\\:%M\\\\\\:%S}} {zone}'");
    }

    /// <summary>How long a drawn ballot is seen above the slot, then in it (seconds): four frames at the demo's 10 fps.</summary>
    public const double BallotPhaseSeconds = 0.2;

    /// <summary>Where the ballot is drawn, as fractions of the picture: what a test samples to count drops.</summary>
    public static readonly (double X, double Y, double W, double H) BallotRegion = (0.47, 0.34, 0.06, 0.20);

    /// <summary>
    /// The demo's ballot-box picture: a dark wall, a blue box with its slot, and a white ballot shown above the slot and
    /// then half into it at each drop (seconds after the run's start, from the counting plan's scene). Timeline
    /// <c>enable</c> expressions on drawbox cost a few comparisons per frame, nothing like the encoder.
    /// </summary>
    public static IEnumerable<string> BallotBoxScene(IReadOnlyList<double> drops)
    {
        var inv = CultureInfo.InvariantCulture;
        var (x, y, w, h) = BallotRegion;
        yield return "drawbox=x=iw*0.34:y=ih*0.30:w=iw*0.32:h=ih*0.26:color=0x202428:t=fill";
        yield return "drawbox=x=iw*0.36:y=ih*0.56:w=iw*0.28:h=ih*0.30:color=0x1f4e9c:t=fill";
        yield return "drawbox=x=iw*0.45:y=ih*0.555:w=iw*0.10:h=ih*0.02:color=black:t=fill";
        // ffmpeg's expression parser refuses a sum of more than about a hundred terms: one drawbox per chunk of drops.
        foreach (var chunk in drops.Chunk(DropsPerFilter))
        {
            string Enable(double from) => string.Join('+', chunk.Select(d => string.Create(inv, $"between(t,{d + from:0.###},{d + from + BallotPhaseSeconds - 0.001:0.###})")));
            yield return string.Create(inv, $"drawbox=x=iw*{x}:y=ih*{y}:w=iw*{w}:h=ih*{h / 2}:color=white:t=fill:enable='{Enable(0)}'");
            yield return string.Create(inv, $"drawbox=x=iw*{x}:y=ih*{y + h / 2}:w=iw*{w}:h=ih*{h / 2}:color=white:t=fill:enable='{Enable(BallotPhaseSeconds)}'");
        }
    }

    private const int DropsPerFilter = 40;

    private static double Clamp(double v) => Math.Clamp(v, 0, 1);

    private static string Quote(string path) => $"\"{path}\"";
}
