using Portal.Grains.Abstractions;
using Portal.Grains.Model;
using Portal.StreamGateway.Tests.Infrastructure;

namespace Portal.StreamGateway.Tests;

public sealed class FrozenPictureTests(ClusterFixture cluster, RtspServer server)
{
    [Fact]
    public async Task StillPictureLoopedAsSourceIsReportedFrozen()
    {
        var dir = Tools.TempDir("still");
        await using var publisher = Publisher.Start(Publisher.Still(await Publisher.StillPictureAsync(dir)), server.PublishUrl("frozen"));
        await using var gateway = await GatewayHost.StartAsync(cluster.Grains, [new CameraDefinition { Id = "cam-frozen", Source = server.ReadUrl("frozen") }]);

        var status = await Tools.WaitFor(() => cluster.StatusAsync("cam-frozen"), s => s.State == CameraState.Frozen, TimeSpan.FromSeconds(60), "frozen");
        // It was live first: frozen is a judgement on a flowing stream, not a failure to connect.
        Assert.Contains(status.History, h => h.State == CameraState.Live);
    }
}

public sealed class BlackPictureTests(ClusterFixture cluster, RtspServer server)
{
    [Fact]
    public async Task BlackPictureIsReportedBlack()
    {
        await using var publisher = Publisher.Start(Publisher.Black, server.PublishUrl("black"));
        await using var gateway = await GatewayHost.StartAsync(cluster.Grains, [new CameraDefinition { Id = "cam-black", Source = server.ReadUrl("black") }]);

        var status = await Tools.WaitFor(() => cluster.StatusAsync("cam-black"), s => s.State == CameraState.Black, TimeSpan.FromSeconds(60), "black");
        Assert.DoesNotContain(status.History, h => h.State == CameraState.Frozen);
        var thumb = await gateway.Http.GetAsync("/hls/cam-black/thumb.jpg");
        Assert.Equal("image/jpeg", thumb.Content.Headers.ContentType?.MediaType);
    }
}
