using Portal.Grains.Model;
using Portal.StreamGateway.Supervision;

namespace Portal.StreamGateway.Sources;

/// <summary>
/// One kind of camera source (pulled RTSP, a camera that pushes to us, the generated demo picture, ...): it owns its ffmpeg
/// input and options, how its secret source is kept out of logs, and whether it needs a port of its own. The rest of the
/// gateway (outputs, segments, health, restarts) is the same for every kind. A new kind is one new file with a subclass
/// and one line in <see cref="CameraSourceKinds.All"/> (plus the source syntax the election file accepts, docs/api.md).
/// </summary>
public abstract class CameraSourceKind
{
    /// <summary>The kind's name in logs and docs (never the source itself).</summary>
    public abstract string Name { get; }

    /// <summary>True if this kind serves a camera with this <see cref="CameraDefinition.Source"/>.</summary>
    public abstract bool Matches(string source);

    /// <summary>The ffmpeg input (a URL or a lavfi graph; may be the secret source) and the input options before <c>-i</c>.</summary>
    public abstract SourceInput Input(FfmpegCommandBuilder.Context context);

    /// <summary>The picture is generated here and must be encoded even without a mask (the copy path is for cameras' own H.264).</summary>
    public virtual bool Encodes => false;

    /// <summary>Filters this kind draws on its picture after the mask (the demo's station number and clock).</summary>
    public virtual IEnumerable<string> PictureFilters(FfmpegCommandBuilder.Context context) => [];

    /// <summary>Encoder options for an unmasked picture of a kind that <see cref="Encodes"/>; null: the masked-camera encoder.</summary>
    public virtual string? EncoderArguments(FfmpegCommandBuilder.Context context) => null;

    /// <summary>The camera connects to the gateway: it takes a port of the listen range, and waiting for it is not a failed start.</summary>
    public virtual bool ListensOnPort => false;

    /// <summary>A refused TCP-interleaved SETUP switches this camera to RTSP over UDP (pulled RTSP only).</summary>
    public virtual bool FallsBackToUdp => false;

    /// <summary>ffmpeg's text with the source and any URL replaced: what may be logged or shown in ops.</summary>
    public virtual string Redact(string text, string source) => Redaction.Redact(text, source);
}

/// <param name="Source">What ffmpeg gets after <c>-i</c>; for a pulled camera this is the secret URL.</param>
public sealed record SourceInput(string Source, string Arguments);

/// <summary>The registered source kinds, asked in order: the first that matches a camera's source serves it.</summary>
public static class CameraSourceKinds
{
    public static readonly IReadOnlyList<CameraSourceKind> All = [new DemoSource(), new ListenSource(), new PullRtspSource()];

    public static CameraSourceKind? Find(string? source) => source is null ? null : All.FirstOrDefault(k => k.Matches(source));

    /// <exception cref="ArgumentException">no kind serves the source (the message never contains it).</exception>
    public static CameraSourceKind Of(CameraDefinition camera) =>
        Find(camera.Source) ?? throw new ArgumentException($"camera {camera.Id}: no source kind serves its source");
}
