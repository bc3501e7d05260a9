using System.Collections.Concurrent;
using Portal.Grains.Abstractions;

namespace Portal.Ingest.Tests.Infrastructure;

/// <summary>Plays the lead's live-feed observer: records every message the notifier delivers.</summary>
public sealed class CapturingObserver : ILiveFeedObserver
{
    public ConcurrentQueue<LiveMessage> Messages { get; } = new();

    public Task OnLiveMessagesAsync(IReadOnlyList<LiveMessage> messages)
    {
        foreach (var m in messages) Messages.Enqueue(m);
        return Task.CompletedTask;
    }

    public static async Task<(CapturingObserver Observer, ILiveFeedObserver Reference)> RegisterAsync(IGrainFactory grains)
    {
        var observer = new CapturingObserver();
        var reference = grains.CreateObjectReference<ILiveFeedObserver>(observer);
        await grains.GetGrain<ILiveFeedRegistryGrain>(0).RegisterAsync(reference);
        return (observer, reference);
    }
}
