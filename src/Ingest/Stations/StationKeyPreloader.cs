using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Ingest.Stations;

/// <summary>
/// Imports the stations' public keys once in the background after start (<c>Intake:PreloadKeys</c>, default on), so a
/// station's first request is verified with a ready key. Verification itself still happens on every request.
/// </summary>
public sealed partial class StationKeyPreloader(StationKeyRegistry keys, IOptions<IntakeOptions> options, ILogger<StationKeyPreloader> logger)
    : BackgroundService
{
    private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the number of keys imported when the preload is over (0 if it is turned off).</summary>
    public Task<int> Completed => _done.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.PreloadKeys) { _done.TrySetResult(0); return; }
        try
        {
            var started = Stopwatch.GetTimestamp();
            // One thread: the import is CPU work, and the host should keep the other core for requests while it runs.
            var imported = await Task.Factory.StartNew(() => keys.Preload(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            LogPreloaded(imported, Stopwatch.GetElapsedTime(started).TotalSeconds);
            _done.TrySetResult(imported);
        }
        catch (OperationCanceledException)
        {
            _done.TrySetCanceled(stoppingToken);
        }
        catch (Exception e)
        {
            // Not fatal: each key is then imported on its station's first request, as without the preload.
            LogPreloadFailed(e);
            _done.TrySetException(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported {Count} station public keys in {Seconds:F1} s")]
    private partial void LogPreloaded(int count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Preloading the station public keys failed; keys are imported on first use")]
    private partial void LogPreloadFailed(Exception exception);
}
