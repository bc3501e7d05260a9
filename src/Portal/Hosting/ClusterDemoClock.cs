using Microsoft.Extensions.Options;
using Portal.Grains.Model;
using StackExchange.Redis;

namespace Portal.Hosting;

/// <summary>
/// The election clock of a cluster node. The accelerated demo day maps one real moment to 07:30; if every node took its
/// own start as that moment, nodes started seconds apart would be minutes apart in election time (and disagree on
/// when polls close). So the first node stores the anchor in Redis and every node, also one restarted later, uses it.
/// </summary>
internal static class ClusterDemoClock
{
    public static ElectionClock Create(IServiceProvider services, HostingPlan plan)
    {
        var catalog = services.GetRequiredService<ElectionCatalog>();
        var demo = services.GetRequiredService<IOptions<DemoOptions>>().Value;
        if (!demo.Enabled) return new ElectionClock(catalog);
        var db = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
        var key = (RedisKey)$"{plan.RedisPrefix}demo-anchor:{catalog.Election.Id}:{catalog.Election.PollsOpen:yyyy-MM-dd}";
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // Kept as long as a demo day could be replayed over the same ledger; start.sh clears Redis for a new demo.
        db.StringSet(key, now, TimeSpan.FromDays(3), When.NotExists);
        var anchor = (long?)db.StringGet(key) ?? now;
        return ElectionClock.Accelerated(catalog, demo, realAnchor: DateTimeOffset.FromUnixTimeMilliseconds(anchor));
    }
}
