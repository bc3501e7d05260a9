using Portal.Grains.Model;

namespace Portal.StreamGateway.Tests.Infrastructure;

public static class TestCatalog
{
    /// <summary>Every camera id a test uses: the silo's catalog must know them (the camera grain checks its definition).</summary>
    public static readonly string[] CameraIds =
    [
        "cam-probe", "cam-outage", "cam-frozen", "cam-black", "cam-kill", "cam-mask", "cam-demo", "cam-off", "cam-listen", "cam-feed", "cam-feed-2", "cam-thumbs", "cam-clock",
    ];

    public static ElectionCatalog Build(IEnumerable<CameraDefinition> cameras)
    {
        var election = new ElectionDefinition
        {
            Id = "test-election",
            TimeZone = "Asia/Tashkent",
            PollsOpen = DateTimeOffset.UtcNow.AddHours(-2),
            PollsClose = DateTimeOffset.UtcNow.AddHours(8),
            Stations = [.. cameras.Select((c, i) => new StationDefinition
            {
                Id = $"st-{i + 1}", Number = i + 1, RegionId = "r", Address = "test", VotersOnList = 100, Cameras = [c],
            })],
        };
        return new ElectionCatalog(election, []);
    }

    public static ElectionCatalog ForSilo() => Build(CameraIds.Select(id => new CameraDefinition { Id = id, Source = CameraSources.Demo }));
}
