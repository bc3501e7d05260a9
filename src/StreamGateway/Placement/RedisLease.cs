using StackExchange.Redis;

namespace Portal.StreamGateway.Placement;

/// <summary>
/// A lease in Redis: a key holding its owner's name with a TTL. Taken with SET NX PX; renewed and released only by its
/// owner (compare-and-act scripts), so a paused node never extends or drops a lease another node has taken meanwhile.
/// Camera placement and the portal's one-node-at-a-time services use it.
/// </summary>
public static class RedisLease
{
    private const string RenewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
    private const string ReleaseScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    public static Task<bool> TryAcquireAsync(IDatabase db, RedisKey key, string owner, TimeSpan ttl) =>
        db.StringSetAsync(key, owner, ttl, When.NotExists);

    /// <summary>True while the lease is still <paramref name="owner"/>'s (its TTL is reset).</summary>
    public static async Task<bool> RenewAsync(IDatabase db, RedisKey key, string owner, TimeSpan ttl) =>
        (long)await db.ScriptEvaluateAsync(RenewScript, [key], [owner, (long)ttl.TotalMilliseconds]) == 1;

    public static Task ReleaseAsync(IDatabase db, RedisKey key, string owner) =>
        db.ScriptEvaluateAsync(ReleaseScript, [key], [owner]);
}
