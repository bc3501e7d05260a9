using Portal.Grains.Abstractions;
using Portal.Grains.Model;
using Portal.StreamGateway.Supervision;
using Portal.StreamGateway.Tests.Infrastructure;

namespace Portal.StreamGateway.Tests;

public sealed class PrivacyMaskTests(ClusterFixture cluster, RtspServer server)
{
    [Fact]
    public async Task MaskedCameraHasItsRectangleBlackInTheDecodedPicture()
    {
        // testsrc2 is bright and colourful everywhere, so black can only come from the mask.
        await using var publisher = Publisher.Start(Publisher.Moving, server.PublishUrl("mask"));
        var camera = new CameraDefinition
        {
            Id = "cam-mask", Source = server.ReadUrl("mask"),
            Mask = [new MaskRectangle { X = 0.25, Y = 0.25, Width = 0.5, Height = 0.5 }],
        };
        await using var gateway = await GatewayHost.StartAsync(cluster.Grains, [camera]);
        await Tools.WaitFor(() => cluster.StatusAsync("cam-mask"), s => s.State == CameraState.Live, TimeSpan.FromSeconds(40), "live");
        var playlist = HlsPlaylist.Parse(await gateway.Http.GetStringAsync("/hls/cam-mask/live.m3u8"));
        var segment = Path.Combine(gateway.CameraDir("cam-mask"), playlist.Segments[^1].Name);

        const int w = 320, h = 240;
        var gray = await Tools.RunBytesAsync("ffmpeg", $"-hide_banner -loglevel error -i \"{segment}\" -frames:v 1 -vf scale={w}:{h} -f rawvideo -pix_fmt gray -");
        Assert.Equal(w * h, gray.Length);
        double Mean(int x0, int y0, int x1, int y1)
        {
            double sum = 0;
            for (var y = y0; y < y1; y++) for (var x = x0; x < x1; x++) sum += gray[y * w + x];
            return sum / ((x1 - x0) * (y1 - y0));
        }
        // Inside the rectangle (a few pixels in from its edges: scaling blurs the border) everything is black.
        var inside = Mean(w / 4 + 4, h / 4 + 4, w * 3 / 4 - 4, h * 3 / 4 - 4);
        var insideMax = Enumerable.Range(h / 4 + 4, h / 2 - 8).SelectMany(y => Enumerable.Range(w / 4 + 4, w / 2 - 8).Select(x => gray[y * w + x])).Max();
        Assert.True(insideMax <= 24, $"brightest masked pixel {insideMax}, mean {inside:0.0}");
        // Outside it the picture is still there.
        var outside = Mean(0, 0, w, h / 4 - 4);
        Assert.True(outside > 40, $"the unmasked top band is dark too ({outside:0.0}): the picture is gone, not masked");

        await Tools.WaitFor(() => gateway.Http.GetAsync("/hls/cam-mask/thumb.jpg"), r => r.IsSuccessStatusCode, TimeSpan.FromSeconds(20), "masked thumbnail");
    }
}
