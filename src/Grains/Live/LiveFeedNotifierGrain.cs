using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Portal.Grains.Abstractions;

namespace Portal.Grains.Live;

/// <summary>
/// GPSTracker's PushNotifierGrain shape: a reentrant stateless worker per silo that keeps only the newest message per
/// topic and flushes every <see cref="FlushInterval"/>, so a topic reaches viewers at most a few times a second.
/// </summary>
[StatelessWorker(1), Reentrant]
public sealed partial class LiveFeedNotifierGrain(ILogger<LiveFeedNotifierGrain> logger) : Grain, ILiveFeedNotifierGrain
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ObserverRefresh = TimeSpan.FromSeconds(5);
    private Dictionary<(string Topic, string Type), LiveMessage> _pending = [];
    private IReadOnlyList<ILiveFeedObserver> _observers = [];
    private DateTimeOffset _observersFetched = DateTimeOffset.MinValue;
    private bool _flushing;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushInterval, FlushInterval) { Interleave = true });
        return Task.CompletedTask;
    }

    public Task PublishAsync(LiveMessage message)
    {
        _pending[(message.Topic, message.Type)] = message;
        return Task.CompletedTask;
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_flushing || _pending.Count == 0) return;
        _flushing = true;
        try
        {
            var batch = _pending.Values.ToList();
            _pending = [];
            if (DateTimeOffset.UtcNow - _observersFetched > ObserverRefresh)
            {
                _observers = await GrainFactory.GetGrain<ILiveFeedRegistryGrain>(0).GetObserversAsync();
                _observersFetched = DateTimeOffset.UtcNow;
            }
            foreach (var observer in _observers)
            {
                try { await observer.OnLiveMessagesAsync(batch); }
                catch (Exception e) { LogDeliveryFailed(e, batch.Count); }
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live feed delivery of {Count} messages to an observer failed")]
    private partial void LogDeliveryFailed(Exception exception, int count);
}
