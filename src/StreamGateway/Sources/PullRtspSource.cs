using System.Globalization;
using Portal.StreamGateway.Supervision;

namespace Portal.StreamGateway.Sources;

/// <summary>
/// <c>rtsp://...</c>: the gateway pulls from the camera. TCP-interleaved first; a camera that refuses it is read over UDP.
/// <c>-timeout</c> is the RTSP socket timeout in microseconds (Gateway:SourceTimeout).
/// </summary>
public sealed class PullRtspSource : CameraSourceKind
{
    public override string Name => "rtsp";

    public override bool Matches(string source) => source.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase);

    public override bool FallsBackToUdp => true;

    public override SourceInput Input(FfmpegCommandBuilder.Context c)
    {
        var timeoutUs = (long)c.Options.SourceTimeout.TotalMicroseconds;
        return new SourceInput(c.Camera.Source, string.Create(CultureInfo.InvariantCulture,
            $"-rtsp_transport {(c.Transport == RtspTransport.Tcp ? "tcp" : "udp")} -timeout {timeoutUs} -analyzeduration 1000000 -probesize 1000000 -fflags +genpts"));
    }
}
