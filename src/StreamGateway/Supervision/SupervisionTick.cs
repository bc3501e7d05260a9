using System.Runtime.CompilerServices;

namespace Portal.StreamGateway.Supervision;

/// <summary>
/// One tick for every camera worker of the node (<see cref="CameraSupervisor"/>), instead of a timer per camera: each
/// worker awaits <see cref="Next"/>, and at each tick one timer callback resumes every waiting worker, one after
/// another, on its own thread. A hundred cameras then cost one thread-pool item four times a second, not a hundred
/// (a worker that spins between items is most of what the supervision cost, docs/perf.md). Not a shared
/// <c>TaskCompletionSource</c>: the runtime queues each of many awaiters of one task to the thread pool.
/// </summary>
public sealed class SupervisionTick : IDisposable
{
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private List<Action> _waiting = [];
    private bool _disposed;

    public SupervisionTick(TimeProvider time, TimeSpan period)
    {
        Period = period;
        _timer = time.CreateTimer(_ => Fire(), null, period, period);
    }

    public TimeSpan Period { get; }

    /// <summary>Resumes the caller at the next tick, on the tick's thread. Awaiting it allocates nothing once the caller's state machine exists.</summary>
    public TickAwaitable Next => new(this);

    private void Wait(Action continuation)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _waiting.Add(continuation);
                return;
            }
        }
        // Stopped: nothing will tick again; resume at once (the worker sees its cancellation).
        ThreadPool.UnsafeQueueUserWorkItem(static c => c(), continuation, preferLocal: false);
    }

    private void Fire()
    {
        List<Action> due;
        lock (_lock)
        {
            due = _waiting;
            // A worker that resumes and awaits again waits for the next tick, not this one.
            _waiting = new List<Action>(due.Count);
        }
        foreach (var resume in due) resume();
    }

    /// <summary>Stops ticking and resumes whoever still waits (once every worker has stopped there is none).</summary>
    public void Dispose()
    {
        _timer.Dispose();
        lock (_lock) _disposed = true;
        Fire();
    }

    public readonly struct TickAwaitable(SupervisionTick tick)
    {
        public TickAwaiter GetAwaiter() => new(tick);
    }

    public readonly struct TickAwaiter(SupervisionTick tick) : ICriticalNotifyCompletion
    {
        public bool IsCompleted => false;

        public void GetResult()
        {
        }

        public void OnCompleted(Action continuation) => tick.Wait(continuation);

        public void UnsafeOnCompleted(Action continuation) => tick.Wait(continuation);
    }
}
