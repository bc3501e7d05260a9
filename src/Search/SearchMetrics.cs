using System.Diagnostics.Metrics;

namespace Portal.Search;

/// <summary>The search backend's meter ("Portal.Search"; the Portal's /metrics publishes .NET meters).</summary>
internal static class SearchMetrics
{
    public static readonly Meter Meter = new("Portal.Search");

    /// <summary>Elasticsearch requests that failed, by kind: unreachable (no answer) or refused (an error status).</summary>
    public static readonly Counter<long> BackendFailures = Meter.CreateCounter<long>("portal_search_backend_failures", description: "Search backend requests that failed");

    /// <summary>Elasticsearch rebuilds, by outcome (completed, failed).</summary>
    public static readonly Counter<long> Rebuilds = Meter.CreateCounter<long>("portal_search_rebuilds", description: "Search index rebuilds");
}
