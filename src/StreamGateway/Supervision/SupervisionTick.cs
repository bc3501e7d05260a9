namespace Portal.StreamGateway.Supervision;

/// <summary>
/// One tick for every camera worker of the node (<see cref="CameraSupervisor"/>), instead of a timer per camera: each
/// tick completes one task that every worker awaits, and their continuations run one after another on the timer's
/// thread. A hundred cameras then wake one thread four times a second, not a hundred timers each waking the thread pool
/// (whose workers spin between items: most of what the supervision cost, docs/perf.md).
/// </summary>
public sealed class SupervisionTick : IDisposable
{
    private readonly ITimer _timer;
    // Continuations run synchronously on purpose: inline on the thread that completes the tick.
    private TaskCompletionSource _next = new();

    public SupervisionTick(TimeProvider time, TimeSpan period)
    {
        Period = period;
        _timer = time.CreateTimer(_ => Fire(), null, period, period);
    }

    public TimeSpan Period { get; }

    /// <summary>Completes at the next tick. Awaiting it allocates nothing.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    private void Fire()
    {
        // A new task first: a worker that runs inline and awaits again waits for the next tick, not this one.
        var fired = Interlocked.Exchange(ref _next, new TaskCompletionSource());
        fired.TrySetResult();
    }

    /// <summary>Stops ticking and releases whoever still waits (once every worker has stopped there is none).</summary>
    public void Dispose()
    {
        _timer.Dispose();
        Fire();
    }
}
