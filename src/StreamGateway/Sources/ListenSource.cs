using Portal.Grains.Model;
using Portal.StreamGateway.Supervision;

namespace Portal.StreamGateway.Sources;

/// <summary>
/// <c>listen</c>: a camera behind NAT pushes to <c>rtsp://{gateway}:{port}/{cameraId}</c>; ffmpeg's RTSP listener takes one
/// publisher, so each listen camera has its own port of the listen range (Gateway:ListenPortStart/ListenPortCount).
/// </summary>
public sealed class ListenSource : CameraSourceKind
{
    public override string Name => CameraSources.Listen;

    public override bool Matches(string source) => source == CameraSources.Listen;

    public override bool ListensOnPort => true;

    public override SourceInput Input(FfmpegCommandBuilder.Context c) =>
        new($"rtsp://{c.Options.ListenAddress}:{c.ListenPort}/{c.Camera.Id}", "-rtsp_flags listen -fflags +genpts");
}
