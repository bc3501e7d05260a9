namespace Portal.Grains.Abstractions;

/// <summary>One camera's health as the stream gateway reports it. Key: the camera id. The source URL never leaves the definition.</summary>
public interface ICameraGrain : IGrainWithStringKey
{
    Task<CameraStatus> GetStatusAsync();

    Task ReportAsync(CameraHealthReport report);
}
