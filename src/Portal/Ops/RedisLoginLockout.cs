using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Portal.Ops;

/// <summary>
/// Cluster mode: the counters in the cluster's Redis, so an attacker spreading attempts over every node still gets one
/// budget. A failure counter per name and per address lives for the window; reaching the maximum sets a lock key that
/// lives for the lockout duration.
/// </summary>
public sealed class RedisLoginLockout(IConnectionMultiplexer redis, IOptions<OpsOptions> options, string keyPrefix) : ILoginLockout
{
    // Atomic on the server: count, start the window on the first failure, lock and reset at the maximum.
    private const string FailureScript = """
        local n = redis.call('incr', KEYS[1])
        if n == 1 then redis.call('pexpire', KEYS[1], ARGV[1]) end
        if n >= tonumber(ARGV[2]) then
          redis.call('set', KEYS[2], '1', 'px', ARGV[3])
          redis.call('del', KEYS[1])
          return 1
        end
        return 0
        """;

    private OpsLockoutOptions Options => options.Value.Lockout;

    public async Task<bool> IsLockedAsync(string name, string? address)
    {
        var db = redis.GetDatabase();
        if (await db.KeyExistsAsync(LockKey(LoginLockout.NameKey(name)))) return true;
        return address is not null && await db.KeyExistsAsync(LockKey(LoginLockout.AddressKey(address)));
    }

    public async Task<bool> RecordFailureAsync(string name, string? address)
    {
        var locked = await RecordAsync(LoginLockout.NameKey(name), Options.MaxFailures);
        if (address is not null) locked |= await RecordAsync(LoginLockout.AddressKey(address), Options.MaxFailuresPerAddress);
        return locked;
    }

    public Task RecordSuccessAsync(string name) => redis.GetDatabase().KeyDeleteAsync(CountKey(LoginLockout.NameKey(name)));

    private async Task<bool> RecordAsync(string key, int max)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(FailureScript, [CountKey(key), LockKey(key)],
            [(long)Options.Window.TotalMilliseconds, max, (long)Options.Duration.TotalMilliseconds]);
        return (long)result == 1;
    }

    private RedisKey CountKey(string key) => keyPrefix + "failures:" + key;

    private RedisKey LockKey(string key) => keyPrefix + "locked:" + key;
}
