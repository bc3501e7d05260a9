using Microsoft.Extensions.Options;
using Portal.Grains.Abstractions;

namespace Portal.Live;

/// <summary>
/// Keeps this host's <see cref="LiveFeedObserver"/> registered with the live-feed registry and the camera feed
/// (both expire registrations, so it renews them), and flushes the observer on a short period. In cluster mode every
/// host receives every message and sends it to its own viewers, so a viewer on any node gets each update once.
/// </summary>
public sealed partial class LiveFeedService(
    LiveFeedObserver observer, IGrainFactory grains, IOptions<LiveFeedOptions> options, ILogger<LiveFeedService> logger)
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
