using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Portal.Ops;

/// <summary>
/// Counts failed logins per account name and per client address and locks either for a while once it has too many.
/// Names are counted whether or not they exist, so a lockout reveals nothing about which accounts exist.
/// </summary>
public interface ILoginLockout
{
    Task<bool> IsLockedAsync(string name, string? address);

    /// <summary>Records a failure; true when this failure locked the name or the address.</summary>
    Task<bool> RecordFailureAsync(string name, string? address);

    Task RecordSuccessAsync(string name);
}

/// <summary>Embedded mode: the counters in memory (one node, so one budget).</summary>
public sealed class LoginLockout(IOptions<OpsOptions> options, TimeProvider time) : ILoginLockout
{
    // Bounded so a flood of random names cannot grow memory without limit; the oldest entries are dropped first.
    private const int MaxTracked = 100_000;
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    private OpsLockoutOptions Options => options.Value.Lockout;

    public Task<bool> IsLockedAsync(string name, string? address) => Task.FromResult(IsLocked(name, address));

    public Task<bool> RecordFailureAsync(string name, string? address) => Task.FromResult(RecordFailure(name, address));

    public Task RecordSuccessAsync(string name)
    {
        RecordSuccess(name);
        return Task.CompletedTask;
    }

    public bool IsLocked(string name, string? address) =>
        IsLocked(NameKey(name)) || (address is not null && IsLocked(AddressKey(address)));

    /// <summary>Records a failure; true when this failure locked the name or the address.</summary>
    public bool RecordFailure(string name, string? address)
    {
        var locked = Record(NameKey(name), Options.MaxFailures);
        if (address is not null) locked |= Record(AddressKey(address), Options.MaxFailuresPerAddress);
        Trim();
        return locked;
    }

    public void RecordSuccess(string name) => _counters.TryRemove(NameKey(name), out _);

    internal static string NameKey(string name) => "n:" + name.Trim().ToLowerInvariant();

    internal static string AddressKey(string address) => "a:" + address;

    private bool IsLocked(string key) =>
        _counters.TryGetValue(key, out var c) && c.LockedUntil is { } until && until > time.GetUtcNow();

    private bool Record(string key, int max)
    {
        var now = time.GetUtcNow();
        var counter = _counters.GetOrAdd(key, _ => new Counter());
        lock (counter)
        {
            counter.LastSeen = now;
            counter.Failures.Enqueue(now);
            while (counter.Failures.TryPeek(out var first) && now - first > Options.Window) counter.Failures.Dequeue();
            if (counter.Failures.Count < max) return false;
            counter.LockedUntil = now + Options.Duration;
            counter.Failures.Clear();
            return true;
        }
    }

    private void Trim()
    {
        if (_counters.Count <= MaxTracked) return;
        var now = time.GetUtcNow();
        foreach (var (key, c) in _counters)
            if ((c.LockedUntil ?? DateTimeOffset.MinValue) < now && now - c.LastSeen > Options.Window)
                _counters.TryRemove(key, out _);
    }

    private sealed class Counter
    {
        public Queue<DateTimeOffset> Failures { get; } = new();
        public DateTimeOffset? LockedUntil { get; set; }
        public DateTimeOffset LastSeen { get; set; }
    }
}
