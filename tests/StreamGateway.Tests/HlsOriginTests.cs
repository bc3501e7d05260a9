using System.Net;
using System.Net.Http.Headers;
using Portal.Grains.Abstractions;
using Portal.Grains.Model;
using Portal.StreamGateway.Supervision;
using Portal.StreamGateway.Tests.Infrastructure;

namespace Portal.StreamGateway.Tests;

/// <summary>The origin over a demo camera (the generated picture: also proves drawtext and the demo path work here).</summary>
public sealed class HlsOriginTests(ClusterFixture cluster)
{
    private static readonly CameraDefinition[] Cameras =
    [
        new() { Id = "cam-demo", Source = CameraSources.Demo },
        new() { Id = "cam-off", Source = CameraSources.Demo, Enabled = false },
    ];

    [Fact]
    public async Task DemoCameraIsServedWithTheRightHeadersAndSurvivesAGatewayRestart()
    {
        var dataDir = Tools.TempDir("origin");
        try
        {
            var firstRun = new HashSet<string>();
            await using (var gateway = await GatewayHost.StartAsync(cluster.Grains, Cameras, dataDir))
            {
                await Tools.WaitFor(() => cluster.StatusAsync("cam-demo"), s => s.State == CameraState.Live, TimeSpan.FromSeconds(40), "demo live");

                var live = await gateway.Http.GetAsync("/hls/cam-demo/live.m3u8");
                Assert.Equal(HttpStatusCode.OK, live.StatusCode);
                Assert.Equal("application/vnd.apple.mpegurl", live.Content.Headers.ContentType?.MediaType);
                Assert.Equal("public, max-age=1", live.Headers.CacheControl?.ToString());
                Assert.Equal("*", live.Headers.GetValues("Access-Control-Allow-Origin").Single());
                var playlist = HlsPlaylist.Parse(await live.Content.ReadAsStringAsync());
                Assert.NotEmpty(playlist.Segments);

                var name = playlist.Segments[^1].Name;
                var segment = await gateway.Http.GetAsync($"/hls/cam-demo/{name}");
                Assert.Equal("video/mp2t", segment.Content.Headers.ContentType?.MediaType);
                Assert.Contains("immutable", segment.Headers.CacheControl?.ToString());
                var full = await segment.Content.ReadAsByteArrayAsync();
                Assert.Equal(0x47, full[0]);

                var ranged = new HttpRequestMessage(HttpMethod.Get, $"/hls/cam-demo/{name}");
                ranged.Headers.Range = new RangeHeaderValue(188, 375);
                var part = await gateway.Http.SendAsync(ranged);
                Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
                Assert.Equal(full[188..376], await part.Content.ReadAsByteArrayAsync());

                var preflight = new HttpRequestMessage(HttpMethod.Options, "/hls/cam-demo/live.m3u8");
                preflight.Headers.Add("Origin", "https://player.example");
                preflight.Headers.Add("Access-Control-Request-Method", "GET");
                var cors = await gateway.Http.SendAsync(preflight);
                Assert.True(cors.IsSuccessStatusCode);
                Assert.Contains("GET", cors.Headers.GetValues("Access-Control-Allow-Methods").Single());

                var thumb = await Tools.WaitFor(() => gateway.Http.GetAsync("/hls/cam-demo/thumb.jpg"), r => r.IsSuccessStatusCode, TimeSpan.FromSeconds(15), "thumbnail");
                Assert.Equal("image/jpeg", thumb.Content.Headers.ContentType?.MediaType);

                foreach (var s in HlsPlaylist.Parse(await gateway.Http.GetStringAsync("/hls/cam-demo/archive.m3u8")).Segments) firstRun.Add(s.Name);
                Assert.NotEmpty(firstRun);
            }

            // A new gateway over the same folder: the archive spans both runs, marked discontinuous, and no name is reused.
            await using (var gateway = await GatewayHost.StartAsync(cluster.Grains, Cameras, dataDir))
            {
                var firstRunIds = firstRun.Select(CameraPaths.RunIdOf).ToHashSet();
                await Tools.WaitFor(async () => HlsPlaylist.Parse(await gateway.Http.GetStringAsync("/hls/cam-demo/live.m3u8")).Segments,
                    s => s.Any(x => !firstRunIds.Contains(CameraPaths.RunIdOf(x.Name))), TimeSpan.FromSeconds(40), "segments of the new run");
                var liveText = await gateway.Http.GetStringAsync("/hls/cam-demo/live.m3u8");
                Assert.DoesNotContain("#EXT-X-ENDLIST", liveText);

                var from = DateTimeOffset.UtcNow.AddMinutes(-10).ToString("O");
                // The archive index follows the live playlist within a scan (a quarter second).
                var archiveText = await Tools.WaitFor(() => gateway.Http.GetStringAsync($"/hls/cam-demo/archive.m3u8?from={Uri.EscapeDataString(from)}"),
                    t => HlsPlaylist.Parse(t).Segments.Any(x => !firstRunIds.Contains(CameraPaths.RunIdOf(x.Name))), TimeSpan.FromSeconds(20), "archive of both runs");
                var archive = HlsPlaylist.Parse(archiveText);
                Assert.True(archiveText.Contains("#EXT-X-DISCONTINUITY"), archiveText);
                Assert.Contains("#EXT-X-PLAYLIST-TYPE:VOD", archiveText);
                Assert.Equal(archive.Segments.Count, archive.Segments.Select(s => s.Name).Distinct().Count());
                Assert.True(firstRun.IsSubsetOf(archive.Segments.Select(s => s.Name)), "the first run's segments are missing from the archive");
                Assert.Contains(archive.Segments, s => !firstRun.Contains(s.Name));
                Assert.Equal(archive.Segments.OrderBy(s => s.ProgramDateTime).Select(s => s.Name), archive.Segments.Select(s => s.Name));

                // A range before anything was recorded is empty, not an error.
                var early = await gateway.Http.GetStringAsync("/hls/cam-demo/archive.m3u8?from=2020-01-01T00:00:00Z&to=2020-01-01T01:00:00Z");
                Assert.Empty(HlsPlaylist.Parse(early).Segments);
            }
        }
        finally
        {
            try { Directory.Delete(dataDir, true); } catch (IOException) { }
        }
    }

    [Theory]
    [InlineData("/hls/..%2F..%2Fetc/live.m3u8")]
    [InlineData("/hls/cam-demo/..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/hls/cam-demo/%2E%2E%2Fcam-off%2Flive.m3u8")]
    [InlineData("/hls/cam-demo/../../../../etc/passwd")]
    [InlineData("/hls/%2E%2E/live.m3u8")]
    [InlineData("/hls/cam-demo/filter.txt")]
    [InlineData("/hls/cam-demo/index%2F2024-10-27.idx")]
    [InlineData("/hls/cam-demo/..%5C..%5Cetc%5Cpasswd")]
    [InlineData("/hls/cam-demo/archive.m3u8?from=yesterday")]
    [InlineData("/hls/cam-demo/archive.m3u8?from=2024-10-27T00:00:00Z&to=2024-10-29T00:00:00Z")]
    public async Task PathTraversalAndBadInputAreRejected(string path)
    {
        await using var gateway = await GatewayHost.StartAsync(cluster.Grains, Cameras, configure: o => o.Supervise = false);
        // Something worth stealing next to the camera folders.
        File.WriteAllText(Path.Combine(gateway.DataDir, "secret.txt"), "rtsp://user:pass@10.0.0.5/stream1");
        var response = await gateway.Http.GetAsync(path);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
        Assert.DoesNotContain("rtsp://", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/hls/cam-nowhere/live.m3u8")]
    [InlineData("/hls/cam-nowhere/archive.m3u8")]
    [InlineData("/hls/cam-nowhere/thumb.jpg")]
    [InlineData("/hls/cam-nowhere/1700000000000-000001.ts")]
    [InlineData("/hls/cam-off/live.m3u8")]
    public async Task UnknownOrDisabledCameraIsNotFound(string path)
    {
        await using var gateway = await GatewayHost.StartAsync(cluster.Grains, Cameras, configure: o => o.Supervise = false);
        Directory.CreateDirectory(Path.Combine(gateway.DataDir, "cam-nowhere"));
        File.WriteAllText(Path.Combine(gateway.DataDir, "cam-nowhere", "live.m3u8"), "#EXTM3U\n");
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.Http.GetAsync(path)).StatusCode);
    }
}
