using Microsoft.Extensions.Options;
using Portal.Grains.Abstractions;

namespace Portal.Live;

/// <summary>
/// Keeps this host's <see cref="LiveFeedObserver"/> registered with the live-feed registry and the camera feed
/// (both expire registrations, so it renews them), and flushes the observer on a short period.
/// In cluster mode (Redis backplane) every host receives every message; each topic is then sent by exactly one
/// host, chosen by rendezvous hashing over the registered hosts, so a viewer on any node gets each update once.
/// </summary>
public sealed partial class LiveFeedService(
    LiveFeedObserver observer, IGrainFactory grains, IOptions<LiveFeedOptions> options, LiveBackplane backplane, ILogger<LiveFeedService> logger)
    : BackgroundService
{
    private ILiveFeedObserver? _feedReference;
    private ICameraStateObserver? _cameraReference;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var flush = FlushLoopAsync(stoppingToken);
        var register = RegisterLoopAsync(stoppingToken);
        await Task.WhenAll(flush, register);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            if (_feedReference is not null) await grains.GetGrain<ILiveFeedRegistryGrain>(0).UnregisterAsync(_feedReference).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            if (_cameraReference is not null) await grains.GetGrain<ICameraFeedGrain>(ICameraFeedGrain.Key).UnsubscribeAsync(_cameraReference).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException) { LogUnregisterFailed(e); }
    }

    private async Task FlushLoopAsync(CancellationToken stoppingToken)
    {
        // Two ticks per period, alternating the phases: each topic goes out at most once per period, and the election
        // topic's fan-out (every viewer) never shares a tick with the page topics' (see LiveFeedObserver.FlushAsync).
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(50, options.Value.FlushMilliseconds) / 2.0));
        var phase = LiveFlushPhase.Election;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await observer.FlushAsync(phase, stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { LogFlushFailed(e); }
                phase = phase == LiveFlushPhase.Election ? LiveFlushPhase.Other : LiveFlushPhase.Election;
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task RegisterLoopAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(Math.Max(1, options.Value.RegisterSeconds));
        var retry = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = period;
            try
            {
                // The references must live as long as the observer; Orleans holds them weakly.
                _feedReference ??= grains.CreateObjectReference<ILiveFeedObserver>(observer);
                _cameraReference ??= grains.CreateObjectReference<ICameraStateObserver>(observer);
                var registry = grains.GetGrain<ILiveFeedRegistryGrain>(0);
                await registry.RegisterAsync(_feedReference);
                await grains.GetGrain<ICameraFeedGrain>(ICameraFeedGrain.Key).SubscribeAsync(_cameraReference);
                if (backplane.Enabled)
                {
                    var peers = (await registry.GetObserversAsync()).Select(o => o.GetGrainId().ToString()).ToList();
                    var self = _feedReference.GetGrainId().ToString();
                    observer.SetOwnership(LiveBackplane.Owns(self, peers));
                    // Peers come and go: look again soon so a topic is never left without a sender for long.
                    wait = TimeSpan.FromSeconds(Math.Min(5, period.TotalSeconds));
                }
                retry = TimeSpan.FromSeconds(1);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRegisterFailed(e, retry.TotalSeconds);
                wait = retry;
                retry = TimeSpan.FromSeconds(Math.Min(30, retry.TotalSeconds * 2));
            }
            try { await Task.Delay(wait, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering the live feed observer failed; retrying in {RetrySeconds} s")]
    private partial void LogRegisterFailed(Exception exception, double retrySeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flushing the live feed failed")]
    private partial void LogFlushFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Unregistering the live feed observer failed")]
    private partial void LogUnregisterFailed(Exception exception);
}

/// <summary>Whether the hub sends through the Redis backplane (cluster mode), and which host sends which topic then.</summary>
public sealed class LiveBackplane(bool enabled)
{
    public bool Enabled { get; } = enabled;

    /// <summary>Rendezvous hashing: the host with the highest hash of (host, topic) sends the topic. A host not yet in the list sends everything.</summary>
    public static Func<string, bool> Owns(string self, IReadOnlyList<string> peers)
    {
        if (peers.Count <= 1 || !peers.Contains(self)) return _ => true;
        var others = peers.Where(p => p != self).ToArray();
        return topic =>
        {
            var mine = Hash(self, topic);
            foreach (var p in others)
            {
                var theirs = Hash(p, topic);
                if (theirs > mine || (theirs == mine && string.CompareOrdinal(p, self) > 0)) return false;
            }
            return true;
        };
    }

    /// <summary>FNV-1a 64: stable across processes (string.GetHashCode is randomised per process).</summary>
    internal static ulong Hash(string host, string topic)
    {
        var h = 14695981039346656037UL;
        foreach (var c in host) { h ^= c; h *= 1099511628211UL; }
        h ^= 0xff; h *= 1099511628211UL;
        foreach (var c in topic) { h ^= c; h *= 1099511628211UL; }
        return h;
    }
}
