using Xunit;

namespace Portal.TestSupport;

/// <summary>
/// Waiting on a condition with a deadline instead of sleeping: the one place a test polls (every 50 ms unless the probe is
/// costly, such as reloading a page), with generous deadlines because the machine is loaded.
/// </summary>
public static class Wait
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DefaultPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Polls until the condition holds; fails with the message (and <paramref name="details"/>, read at the failure) after
    /// the timeout (generous: the machine is loaded). <paramref name="every"/> spaces costly probes.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<string>? details = null, TimeSpan? every = null)
    {
        if (!await PollAsync(condition, timeout ?? DefaultTimeout, every ?? DefaultPoll))
            Assert.Fail($"timed out waiting for {what}" + (details is null ? "" : $"\n{details()}"));
    }

    /// <summary>As <see cref="UntilAsync(Func{Task{bool}}, string, TimeSpan?, Func{string}?, TimeSpan?)"/>, for a condition that needs no await.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? details = null, TimeSpan? every = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout, details, every);

    /// <summary>
    /// Probes until <paramref name="done"/> holds for the value and returns it; fails naming <paramref name="what"/> and the
    /// last value after the timeout.
    /// </summary>
    public static async Task<T> ForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? timeout = null, TimeSpan? every = null)
    {
        var (last, met) = await ProbeAsync(probe, done, timeout ?? DefaultTimeout, every);
        if (!met) Assert.Fail($"timed out after {(timeout ?? DefaultTimeout).TotalSeconds:0} s waiting for {what}; last: {last}");
        return last;
    }

    /// <summary>
    /// Probes until <paramref name="done"/> holds for the value or the timeout passes, and returns the last value either
    /// way: for a caller whose own assertion on that value says more than "timed out".
    /// </summary>
    public static async Task<(T Last, bool Met)> ProbeAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, TimeSpan? every = null)
    {
        var last = default(T)!;
        var met = await PollAsync(async () => done(last = await probe()), timeout, every ?? DefaultPoll);
        return (last, met);
    }

    private static async Task<bool> PollAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan every)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(every); // the poll interval: the one sleep the waits share
        }
        return true;
    }
}
