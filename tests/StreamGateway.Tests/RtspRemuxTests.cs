using System.Text.Json;
using Portal.Grains.Abstractions;
using Portal.Grains.Model;
using Portal.StreamGateway.Supervision;
using Portal.StreamGateway.Tests.Infrastructure;

namespace Portal.StreamGateway.Tests;

public sealed class RtspRemuxTests(ClusterFixture cluster, RtspServer server)
{
    [Fact]
    public async Task RtspCameraWithAudioIsPublishedAsH264WithoutAudioWithProgramDateTime()
    {
        Tools.Require("ffprobe");
        await using var publisher = Publisher.Start(Publisher.Moving, server.PublishUrl("probe"), audio: true);
        // Credentials in the source: they must never reach a response or a log line.
        var camera = new CameraDefinition { Id = "cam-probe", Source = server.ReadUrl("probe", "operator:s3cr3t-pass") };
        await using var gateway = await GatewayHost.StartAsync(cluster.Grains, [camera]);

        await Tools.WaitFor(() => cluster.StatusAsync("cam-probe"), s => s.State == CameraState.Live, TimeSpan.FromSeconds(40), "cam-probe live");
        await Tools.WaitFor(async () => HlsPlaylistOf(await gateway.Http.GetStringAsync("/hls/cam-probe/live.m3u8")).Segments.Count,
            n => n >= 3, TimeSpan.FromSeconds(20), "three segments");

        // rtsp-server-perl refuses TCP-interleaved SETUP: the supervisor must have fallen back to UDP.
        Assert.Equal(RtspTransport.Udp, gateway.Supervisor.Workers["cam-probe"].Transport);

        var playlistUrl = new Uri(gateway.Http.BaseAddress!, "/hls/cam-probe/live.m3u8");
        var (code, json, err) = await Tools.RunAsync("ffprobe", $"-v error -show_streams -of json \"{playlistUrl}\"");
        Assert.True(code == 0, err);
        var streams = JsonDocument.Parse(json).RootElement.GetProperty("streams").EnumerateArray().ToList();
        Assert.Contains(streams, s => s.GetProperty("codec_type").GetString() == "video" && s.GetProperty("codec_name").GetString() == "h264");
        Assert.DoesNotContain(streams, s => s.GetProperty("codec_type").GetString() == "audio");

        var playlist = await gateway.Http.GetStringAsync("/hls/cam-probe/live.m3u8");
        var segmentLines = playlist.Split('\n').Where(l => l.EndsWith(".ts", StringComparison.Ordinal)).ToList();
        Assert.Equal(segmentLines.Count, playlist.Split('\n').Count(l => l.StartsWith("#EXT-X-PROGRAM-DATE-TIME:", StringComparison.Ordinal)));
        Assert.Contains("#EXT-X-INDEPENDENT-SEGMENTS", playlist);
        var pdt = HlsPlaylistOf(playlist).Segments[^1].ProgramDateTime;
        Assert.InRange(pdt, DateTimeOffset.UtcNow.AddSeconds(-30), DateTimeOffset.UtcNow.AddSeconds(5));

        var status = await cluster.StatusAsync("cam-probe");
        Assert.True(status.BitrateKbps > 0 || (await Tools.WaitFor(() => cluster.StatusAsync("cam-probe"), s => s.BitrateKbps > 0, TimeSpan.FromSeconds(10), "bitrate")).BitrateKbps > 0);
        var archive = await gateway.Http.GetStringAsync("/hls/cam-probe/archive.m3u8");
        Assert.Contains("#EXT-X-ENDLIST", archive);

        foreach (var text in new[] { playlist, archive, JsonSerializer.Serialize(status) })
        {
            Assert.DoesNotContain("rtsp://", text);
            Assert.DoesNotContain("s3cr3t", text);
        }
        Assert.NotEmpty(gateway.Logs.Lines);
        Assert.DoesNotContain(gateway.Logs.Lines, l => l.Contains("s3cr3t", StringComparison.Ordinal) || l.Contains("rtsp://", StringComparison.Ordinal));
    }

    private static HlsPlaylist HlsPlaylistOf(string text) => HlsPlaylist.Parse(text);
}
