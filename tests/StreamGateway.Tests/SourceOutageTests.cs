using System.Diagnostics;
using Portal.Grains.Abstractions;
using Portal.Grains.Model;
using Portal.StreamGateway.Supervision;
using Portal.StreamGateway.Tests.Infrastructure;

namespace Portal.StreamGateway.Tests;

public sealed class SourceOutageTests(ClusterFixture cluster, RtspServer server)
{
    [Fact]
    public async Task SourceThatStopsGoesOfflineWithinTenSecondsAndLiveWithinFiveWhenItReturns()
    {
        var publisher = Publisher.Start(Publisher.Moving, server.PublishUrl("outage"));
        try
        {
            var camera = new CameraDefinition { Id = "cam-outage", Source = server.ReadUrl("outage") };
            await using var gateway = await GatewayHost.StartAsync(cluster.Grains, [camera]);
            await Tools.WaitFor(() => cluster.StatusAsync("cam-outage"), s => s.State == CameraState.Live, TimeSpan.FromSeconds(40), "live");

            // A clean stop (TEARDOWN): rtsp-server-perl keeps the mount of a killed publisher and refuses its return with 403.
            await publisher.InterruptAsync();
            var stopped = Stopwatch.StartNew();
            var offline = await Tools.WaitFor(() => cluster.StatusAsync("cam-outage"), s => s.State == CameraState.Offline, TimeSpan.FromSeconds(30), "offline");
            var offlineAfter = stopped.Elapsed;
            Assert.True(offlineAfter < TimeSpan.FromSeconds(10), $"offline after {offlineAfter.TotalSeconds:0.0} s");
            Assert.NotNull(offline.LastError);
            var segmentsBefore = SegmentCount(gateway.CameraDir("cam-outage"));

            await using var returned = Publisher.Start(Publisher.Moving, server.PublishUrl("outage"));
            var restarted = Stopwatch.StartNew();
            await Tools.WaitFor(() => cluster.StatusAsync("cam-outage"), s => s.State == CameraState.Live, TimeSpan.FromSeconds(30), "live again");
            var liveAfter = restarted.Elapsed;
            Assert.True(liveAfter < TimeSpan.FromSeconds(5), $"live again after {liveAfter.TotalSeconds:0.0} s");
            Assert.True(SegmentCount(gateway.CameraDir("cam-outage")) > segmentsBefore, "no new segment after the source returned");

            var history = (await cluster.StatusAsync("cam-outage")).History.Select(h => h.State).ToList();
            var lastOffline = history.LastIndexOf(CameraState.Offline);
            Assert.True(lastOffline >= 0 && history.IndexOf(CameraState.Live) < lastOffline && history[^1] == CameraState.Live, string.Join(",", history));
        }
        finally
        {
            await publisher.DisposeAsync();
        }
    }

    private static int SegmentCount(string dir) => Directory.EnumerateFiles(dir, "*.ts").Count(f => CameraPaths.IsSegmentName(Path.GetFileName(f)));
}
