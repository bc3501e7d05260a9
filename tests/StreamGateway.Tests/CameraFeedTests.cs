using System.Threading.Channels;
using Portal.Grains.Abstractions;
using Portal.StreamGateway.Tests.Infrastructure;

namespace Portal.StreamGateway.Tests;

/// <summary>What the Portal's live hub relies on: a state change reported to a camera grain reaches a subscribed observer.</summary>
public sealed class CameraFeedTests(ClusterFixture cluster)
{
    [Fact]
    public async Task StateChangesReachSubscribersAndBitrateTicksDoNot()
    {
        var observer = new Observer();
        var reference = cluster.Client.CreateObjectReference<ICameraStateObserver>(observer);
        var feed = cluster.Grains.GetGrain<ICameraFeedGrain>(ICameraFeedGrain.Key);
        await feed.SubscribeAsync(reference);
        try
        {
            var camera = cluster.Grains.GetGrain<ICameraGrain>("cam-feed");
            var at = DateTimeOffset.UtcNow;
            await camera.ReportAsync(new CameraHealthReport(CameraState.Live, at, 800, 0, null, at, "node"));
            await camera.ReportAsync(new CameraHealthReport(CameraState.Live, at.AddSeconds(1), 900, 0, null, at, "node"));
            await camera.ReportAsync(new CameraHealthReport(CameraState.Offline, at.AddSeconds(2), 0, 1, "source gone", at, "node"));

            var changes = new List<CameraStateChanged>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            while (changes.Count(c => c.CameraId == "cam-feed") < 2) changes.Add(await observer.Changes.Reader.ReadAsync(timeout.Token));
            // Orleans does not promise the order of one-way observer calls: subscribers order by the time of change.
            var mine = changes.Where(c => c.CameraId == "cam-feed").OrderBy(c => c.At).ToList();
            Assert.Equal([CameraState.Live, CameraState.Offline], mine.Select(c => c.State));
            Assert.Equal(CameraState.Live, mine[1].Previous);
            Assert.Equal("st-10", mine[0].StationId);
            Assert.Equal("source gone", mine[1].LastError);
            Assert.False(observer.Changes.Reader.TryRead(out var extra) && extra.CameraId == "cam-feed", "a bitrate tick was published as a change");
        }
        finally
        {
            await feed.UnsubscribeAsync(reference);
            cluster.Client.DeleteObjectReference<ICameraStateObserver>(reference);
        }
    }

    private sealed class Observer : ICameraStateObserver
    {
        public Channel<CameraStateChanged> Changes { get; } = Channel.CreateUnbounded<CameraStateChanged>();

        public void OnCameraStateChanged(CameraStateChanged change) => Changes.Writer.TryWrite(change);
    }
}
