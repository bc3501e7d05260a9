using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using Portal.Grains.Abstractions;

namespace Portal.Grains.Live;

public sealed class LiveFeedRegistryGrain(ILogger<LiveFeedRegistryGrain> logger) : Grain, ILiveFeedRegistryGrain
{
    private readonly ObserverManager<ILiveFeedObserver> _observers = new(TimeSpan.FromMinutes(3), logger);

    public Task RegisterAsync(ILiveFeedObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    public Task UnregisterAsync(ILiveFeedObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<ILiveFeedObserver>> GetObserversAsync()
    {
        _observers.ClearExpired();
        return Task.FromResult<IReadOnlyList<ILiveFeedObserver>>([.. _observers.Observers.Values]);
    }
}
