using Portal.Grains.Abstractions;
using Portal.Grains.Model;
using Portal.StreamGateway.Tests.Infrastructure;

namespace Portal.StreamGateway.Tests;

public sealed class ListenSourceTests(ClusterFixture cluster)
{
    [Fact]
    public async Task CameraBehindNatPushesToTheGatewayAndGoesLive()
    {
        var port = TestPorts.Free();
        var camera = new CameraDefinition { Id = "cam-listen", Source = CameraSources.Listen };
        await using var gateway = await GatewayHost.StartAsync(cluster.Grains, [camera], configure: o =>
        {
            o.ListenAddress = "127.0.0.1";
            o.ListenPortStart = port;
            o.ListenPortCount = 1;
        });
        // Waiting for a push is not a failure to restart over: the camera is offline until it connects.
        await Tools.WaitFor(() => cluster.StatusAsync("cam-listen"), s => s.State == CameraState.Offline, TimeSpan.FromSeconds(30), "offline while nobody pushes");

        await using var publisher = Publisher.Start(Publisher.Moving, $"rtsp://127.0.0.1:{port}/cam-listen");
        await Tools.WaitFor(() => cluster.StatusAsync("cam-listen"), s => s.State == CameraState.Live, TimeSpan.FromSeconds(40), "live after the push");
        var playlist = await gateway.Http.GetStringAsync("/hls/cam-listen/live.m3u8");
        Assert.Contains("#EXT-X-PROGRAM-DATE-TIME", playlist);
    }
}
