using Portal.Grains.Abstractions;

namespace Portal.Grains.Cameras;

[GenerateSerializer, Alias("portal.CameraGrainState")]
public sealed class CameraGrainState
{
    [Id(0)] public CameraState State { get; set; }
    [Id(1)] public DateTimeOffset? Since { get; set; }
    [Id(2)] public double BitrateKbps { get; set; }
    [Id(3)] public int Restarts { get; set; }
    [Id(4)] public string? LastError { get; set; }
    [Id(5)] public DateTimeOffset? LastSegmentAt { get; set; }
    [Id(6)] public List<CameraStateChange> History { get; set; } = [];
}
