using Portal.StreamGateway.Health;
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

public sealed class SegmentThumbnailTests(ClusterFixture cluster, RtspServer server)
{
    [Fact]
    public async Task LiveCopyCameraThumbnailComesFromItsSegmentsAndChangesWithThePicture()
    {
        await using var publisher = Publisher.Start(Publisher.Moving, server.PublishUrl("thumbs"));
        await using var gateway = await GatewayHost.StartAsync(cluster.Grains, [new CameraDefinition { Id = "cam-thumbs", Source = server.ReadUrl("thumbs") }]);
        await Tools.WaitFor(() => cluster.StatusAsync("cam-thumbs"), s => s.State == CameraState.Live, TimeSpan.FromSeconds(40), "live");

        // The camera's own ffmpeg only copies: the thumbnail is decoded from a segment it wrote, by the node's thumbnailer.
        var path = Path.Combine(gateway.CameraDir("cam-thumbs"), CameraPaths.Thumbnail);
        var first = await Tools.WaitFor(() => Task.FromResult(ReadSample(path)), s => s is not null, TimeSpan.FromSeconds(60), "first thumbnail");
        var firstWritten = File.GetLastWriteTimeUtc(path);
        // Someone looks at the thumbnail, as the ops wall does: from then on every sample is written (unwatched, once a minute).
        Assert.Equal(System.Net.HttpStatusCode.OK, (await gateway.Http.GetAsync("/hls/cam-thumbs/thumb.jpg")).StatusCode);
        var next = await Tools.WaitFor(() => Task.FromResult(File.GetLastWriteTimeUtc(path) > firstWritten ? ReadSample(path) : null),
            s => s is not null, TimeSpan.FromSeconds(60), "next thumbnail");
        // The moving test picture differs between keyframes seconds apart: a thumbnail that did not change would be reported frozen.
        Assert.True(next!.DifferenceTo(first!) >= new GatewayOptions().FrozenDifference, $"difference {next.DifferenceTo(first!):0.00}");
        var response = await gateway.Http.GetAsync("/hls/cam-thumbs/thumb.jpg");
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(CameraState.Live, (await cluster.StatusAsync("cam-thumbs")).State);
    }

    private static PictureSample? ReadSample(string path)
    {
        try
        {
            return File.Exists(path) ? PictureSample.FromJpeg(File.ReadAllBytes(path)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
