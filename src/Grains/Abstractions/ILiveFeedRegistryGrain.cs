namespace Portal.Grains.Abstractions;

/// <summary>Service discovery for the web hosts' live-feed observers. Key: 0. Re-register every minute (registrations expire).</summary>
public interface ILiveFeedRegistryGrain : IGrainWithIntegerKey
{
    Task RegisterAsync(ILiveFeedObserver observer);

    Task UnregisterAsync(ILiveFeedObserver observer);

    Task<IReadOnlyList<ILiveFeedObserver>> GetObserversAsync();
}
