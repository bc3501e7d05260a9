using Portal.Grains.Model;

namespace Portal.StreamGateway.Tests.Infrastructure;

public static class TestCatalog
{
    /// <summary>Every camera id a test uses: the silo's catalog must know them (the camera grain checks its definition).</summary>
    public static readonly string[] CameraIds =
    [
        "cam-probe", "cam-outage", "cam-frozen", "cam-black", "cam-kill", "cam-mask", "cam-demo", "cam-off", "cam-listen", "cam-feed", "cam-feed-2", "cam-thumbs", "cam-clock",
    ];

    public static ElectionCatalog Build(IEnumerable<CameraDefinition> cameras) => TestElections.OneStationPerCamera("test-election", cameras);

    public static ElectionCatalog ForSilo() => Build(CameraIds.Select(id => TestElections.Camera(id, CameraSources.Demo)));
}
