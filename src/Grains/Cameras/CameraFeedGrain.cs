using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Utilities;
using Portal.Grains.Abstractions;

namespace Portal.Grains.Cameras;

/// <summary>
/// Fans camera state changes out to subscribed observers. Only state changes pass through here (not bitrate
/// ticks), so one activation carries a whole country's cameras; reentrant because notifying is one-way.
/// </summary>
[Reentrant]
public sealed class CameraFeedGrain(ILogger<CameraFeedGrain> logger) : Grain, ICameraFeedGrain
{
    private readonly ObserverManager<ICameraStateObserver> _observers = new(ICameraFeedGrain.SubscriptionLifetime, logger);

    public Task SubscribeAsync(ICameraStateObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(ICameraStateObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task PublishAsync(CameraStateChanged change)
    {
        _observers.Notify(o => o.OnCameraStateChanged(change));
        return Task.CompletedTask;
    }
}
