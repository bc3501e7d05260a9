using Prometheus;

namespace Portal.Hubs;

/// <summary>
/// This host's live-hub figures: viewers connected now (<c>portal_live_viewers</c>) and calls refused as the client's fault
/// (<c>portal_live_hub_faults_total{kind}</c>), which are counted here instead of logged one by one (see
/// <see cref="LiveHubFaultLog"/>).
/// </summary>
public sealed class LiveHubMetrics
{
    /// <summary>Beyond the connection's call budget (<see cref="LiveHubCallFilter"/>).</summary>
    public const string RateLimited = "rate-limited";

    /// <summary>Refused by the hub: an unknown topic, too many topics.</summary>
    public const string Refused = "refused";

    /// <summary>Never reached the hub: no such method, arguments of the wrong type, a malformed message.</summary>
    public const string BadCall = "bad-call";

    private static readonly Gauge Viewers = Metrics.CreateGauge("portal_live_viewers", "Live-hub connections open on this host.");
    private static readonly Counter Faults = Metrics.CreateCounter("portal_live_hub_faults_total",
        "Live-hub calls refused as the client's fault: rate-limited, refused (unknown topic, too many topics), bad-call (no such method, wrong arguments, malformed message).",
        "kind");

    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _sinceSummary = new(StringComparer.Ordinal);
    private int _connected;
    private long _faults;

    /// <summary>Connections open on this host now.</summary>
    public int ConnectedViewers => Volatile.Read(ref _connected);

    /// <summary>Client faults on this host since start.</summary>
    public long ClientFaults => Interlocked.Read(ref _faults);

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

    public void Fault(string kind)
    {
        Faults.WithLabels(kind).Inc();
        Interlocked.Increment(ref _faults);
        lock (_lock) _sinceSummary[kind] = _sinceSummary.GetValueOrDefault(kind) + 1;
    }

    /// <summary>The faults by kind since the last call, for the periodic summary.</summary>
    public IReadOnlyDictionary<string, long> TakeSinceSummary()
    {
        lock (_lock)
        {
            var taken = new Dictionary<string, long>(_sinceSummary, StringComparer.Ordinal);
            _sinceSummary.Clear();
            return taken;
        }
    }
}
