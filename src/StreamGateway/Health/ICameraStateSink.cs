using Portal.Grains.Abstractions;

namespace Portal.StreamGateway.Health;

/// <summary>Where the supervisor sends what it observes of a camera (the camera grain in every host).</summary>
public interface ICameraStateSink
{
    Task ReportAsync(string cameraId, CameraHealthReport report, CancellationToken cancellationToken);
}

/// <summary>Reports to <see cref="ICameraGrain"/>; the grain keeps the history and publishes changes on <see cref="ICameraFeedGrain"/>.</summary>
public sealed class GrainCameraStateSink(IGrainFactory grains) : ICameraStateSink
{
    public Task ReportAsync(string cameraId, CameraHealthReport report, CancellationToken cancellationToken) =>
        grains.GetGrain<ICameraGrain>(cameraId).ReportAsync(report).WaitAsync(cancellationToken);
}
