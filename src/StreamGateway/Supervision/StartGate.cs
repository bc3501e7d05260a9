namespace Portal.StreamGateway.Supervision;

/// <summary>
/// Spaces out ffmpeg starts across all cameras of a node. Starting a process (probe, connect, first keyframe) costs far
/// more than running it; when a starved machine makes many cameras stall at once, unthrottled restarts deepen the
/// starvation into a restart storm.
/// </summary>
public sealed class StartGate(TimeProvider time, double startsPerSecond)
{
    private readonly Lock _lock = new();
    private readonly TimeSpan _spacing = TimeSpan.FromSeconds(1 / Math.Max(0.1, startsPerSecond));
    private DateTimeOffset _next = DateTimeOffset.MinValue;

    public Task WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var slot = _next > now ? _next : now;
            _next = slot + _spacing;
            wait = slot - now;
        }
        return wait <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(wait, time, cancellationToken);
    }
}
