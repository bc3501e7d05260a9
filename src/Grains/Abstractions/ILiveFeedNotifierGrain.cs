using Orleans.Concurrency;

namespace Portal.Grains.Abstractions;

/// <summary>Coalesces live messages per topic (newest wins) and fans them out to the registered observers a few times a second. Key: 0.</summary>
public interface ILiveFeedNotifierGrain : IGrainWithIntegerKey
{
    [OneWay]
    Task PublishAsync(LiveMessage message);
}
