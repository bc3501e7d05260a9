using Prometheus;

namespace Portal.Hubs;

/// <summary>This host's live-hub viewers: how many are connected now (<c>portal_live_viewers</c>).</summary>
public sealed class LiveHubMetrics
{
    private static readonly Gauge Viewers = Metrics.CreateGauge("portal_live_viewers", "Live-hub connections open on this host.");
    private int _connected;

    /// <summary>Connections open on this host now.</summary>
    public int ConnectedViewers => Volatile.Read(ref _connected);

    public void Connected()
    {
        Interlocked.Increment(ref _connected);
        Viewers.Inc();
    }

    public void Disconnected()
    {
        Interlocked.Decrement(ref _connected);
        Viewers.Dec();
    }
}
