using System.Globalization;
using System.Text;
using Portal.Grains.Model;
using Portal.StreamGateway.Sources;

namespace Portal.StreamGateway.Supervision;

public enum RtspTransport { Tcp, Udp }

/// <summary>One ffmpeg invocation: the input (URL or lavfi graph) with its options, the outputs, and a filter script if any.</summary>
/// <param name="Input">Passed to FFMpegCore as the input; for rtsp:// cameras this is the secret URL.</param>
public sealed record FfmpegCommand(string Input, string InputArguments, string OutputArguments, string OutputFile, string? FilterScript, bool Transcodes,
    CameraSourceKind Kind)
{
    /// <summary>The command as it may be logged: the input is never shown.</summary>
    public override string ToString() => Kind.Redact($"{InputArguments} -i <source> {OutputArguments} {OutputFile}", Input);
}

/// <summary>
/// Builds the per-camera ffmpeg command: the input from the camera's <see cref="CameraSourceKind"/>, then copy-remux for
/// plain H.264 sources, libx264 for a generated picture (demo) and for masked cameras.
/// </summary>
public static class FfmpegCommandBuilder
{
    public const string FilterScriptName = "filter.txt";

    /// <summary>The input options of a masked camera: every frame is decoded, in one thread and without deblocking.</summary>
    public const string MaskDecoderOptions = "-skip_loop_filter all -threads 1";

    public sealed record Context(
        CameraDefinition Camera, int StationNumber, string CameraDir, long RunId, RtspTransport Transport, int? ListenPort, GatewayOptions Options,
        TimeZoneInfo? TimeZone = null, IReadOnlyList<double>? BallotDrops = null, ElectionClock? Clock = null);

    public static FfmpegCommand Build(Context c)
    {
        var o = c.Options;
        var kind = CameraSourceKinds.Of(c.Camera);
        var masked = c.Camera.Mask is { Count: > 0 };
        var inv = CultureInfo.InvariantCulture;
        var (input, inputArgs) = kind.Input(c);

        var thumbPath = Quote(Path.Combine(c.CameraDir, CameraPaths.Thumbnail));
        var outputs = new StringBuilder();
        string? script = null;
        var transcodes = kind.Encodes || masked;
        if (transcodes)
        {
            var chain = new List<string>();
            if (masked)
            {
                // Fewer and smaller frames first, then the boxes on what is published (the mask is drawn at output size).
                chain.Add(string.Create(inv, $"fps=fps={o.MaskFps}"));
                chain.Add(string.Create(inv, $"scale=w='min({o.MaskWidth},iw)':h=-2:flags=fast_bilinear"));
                // A camera's own H.264 is decoded in one thread without deblocking: invisible after the downscale, and cheaper.
                if (!kind.Encodes) inputArgs += " " + MaskDecoderOptions;
            }
            if (masked)
                foreach (var r in c.Camera.Mask!)
                    chain.Add(string.Create(inv,
                        $"drawbox=x=iw*{Clamp(r.X):0.####}:y=ih*{Clamp(r.Y):0.####}:w=iw*{Clamp(r.Width):0.####}:h=ih*{Clamp(r.Height):0.####}:color=black:t=fill"));
            chain.AddRange(kind.PictureFilters(c));
            if (chain.Count == 0) chain.Add("null");
            script = string.Create(inv,
                $"[0:v]{string.Join(',', chain)},split=2[hls][th];[th]fps=fps=1/{o.ThumbnailSeconds},scale={o.ThumbnailWidth}:-2:flags=fast_bilinear[thumb]\n");
            outputs.Append(string.Create(inv, $"-filter_complex_script {Quote(Path.Combine(c.CameraDir, FilterScriptName))} "));
            outputs.Append(string.Create(inv, $"-map [thumb] -q:v 8 -update 1 -atomic_writing 1 -f image2 {thumbPath} "));
            outputs.Append("-map [hls] ");
            outputs.Append((masked ? null : kind.EncoderArguments(c)) ?? string.Create(inv,
                $"-c:v libx264 -preset ultrafast -tune zerolatency -threads 1 -pix_fmt yuv420p -force_key_frames expr:gte(t,n_forced*{o.SegmentSeconds}) -sc_threshold 0 -crf 28 -maxrate 600k -bufsize 1200k "));
        }
        else
        {
            // Copy only: the thumbnail comes from the segments this writes (SegmentThumbnailer), not from a decoder here.
            outputs.Append("-map 0:v:0 -c:v copy ");
        }

        // Audio is never published (secret ballot, voters' privacy).
        outputs.Append(string.Create(inv,
            $"-an -sn -dn -f hls -hls_time {o.SegmentSeconds} -hls_list_size {o.LiveWindowSegments} -hls_segment_type mpegts " +
            $"-hls_flags independent_segments+program_date_time+temp_file+append_list+discont_start+omit_endlist " +
            $"-hls_segment_filename {Quote(Path.Combine(c.CameraDir, $"{c.RunId}-%06d.ts"))}"));

        return new FfmpegCommand(input, "-hide_banner -nostats -loglevel error " + inputArgs, outputs.ToString(), Path.Combine(c.CameraDir, CameraPaths.LivePlaylist), script, transcodes, kind);
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
