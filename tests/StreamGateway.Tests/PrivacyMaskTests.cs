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

        // Every frame of the newest segment, not only its first: at the mask's frame rate a one-second segment holds about ten.
        const int w = 320, h = 240;
        var gray = await Tools.RunBytesAsync("ffmpeg", $"-hide_banner -loglevel error -i \"{segment}\" -vf scale={w}:{h} -f rawvideo -pix_fmt gray -");
        var frames = gray.Length / (w * h);
        Assert.True(frames >= 5 && gray.Length == frames * w * h, $"{gray.Length} bytes are not whole frames of {w}x{h} (or fewer than 5)");
        for (var f = 0; f < frames; f++)
        {
            var offset = f * w * h;
            double Mean(int x0, int y0, int x1, int y1)
            {
                double sum = 0;
                for (var y = y0; y < y1; y++) for (var x = x0; x < x1; x++) sum += gray[offset + y * w + x];
                return sum / ((x1 - x0) * (y1 - y0));
            }
            // Inside the rectangle (a few pixels in from its edges: scaling blurs the border) everything is black.
            var inside = Mean(w / 4 + 4, h / 4 + 4, w * 3 / 4 - 4, h * 3 / 4 - 4);
            var insideMax = Enumerable.Range(h / 4 + 4, h / 2 - 8).SelectMany(y => Enumerable.Range(w / 4 + 4, w / 2 - 8).Select(x => gray[offset + y * w + x])).Max();
            Assert.True(insideMax <= 24, $"frame {f}: brightest masked pixel {insideMax}, mean {inside:0.0}");
            // Outside it the picture is still there.
            var outside = Mean(0, 0, w, h / 4 - 4);
            Assert.True(outside > 40, $"frame {f}: the unmasked top band is dark too ({outside:0.0}): the picture is gone, not masked");
        }
        // One frame as a picture beside the test logs, for a person to look at.
        var (code, _, err) = await Tools.RunAsync("ffmpeg", $"-hide_banner -loglevel error -y -i \"{segment}\" -frames:v 1 \"{Path.Combine(Path.GetTempPath(), "gw-tests", "masked-frame.png")}\"");
        Assert.True(code == 0, err);

        await Tools.WaitFor(() => gateway.Http.GetAsync("/hls/cam-mask/thumb.jpg"), r => r.IsSuccessStatusCode, TimeSpan.FromSeconds(20), "masked thumbnail");
    }
}
