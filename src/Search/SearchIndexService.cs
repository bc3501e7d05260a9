using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.Search;

/// <summary>
/// Opens the search index at start (rebuilding it from the host's <see cref="ISearchDocumentSource"/> when missing,
/// corrupt or stale, with progress logged) and rebuilds it whenever its folder disappears or it turns out damaged.
/// </summary>
public sealed partial class SearchIndexService(
    ISearchIndex index, IServiceProvider services, IOptions<SearchOptions> options, ILogger<SearchIndexService> logger) : BackgroundService
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the index has been opened (or rebuilt) the first time.</summary>
    public Task Opened => _opened.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var source = services.GetService<ISearchDocumentSource>();
        if (source is null) LogNoSource();
        var progress = new Progress<SearchRebuildProgress>(p =>
        {
            if (!p.Completed) LogProgress(p.Indexed, p.Elapsed.TotalSeconds);
        });
        var retry = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await index.OpenAsync(source, progress, stoppingToken);
                _opened.TrySetResult();
                break;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // E.g. another process holds the index's write.lock: keep trying, searches answer 503 meanwhile.
                LogOpenFailed(e, retry.TotalSeconds);
                await Task.Delay(retry, stoppingToken);
                retry = TimeSpan.FromSeconds(Math.Min(retry.TotalSeconds * 2, 60));
            }
        }

        using var timer = new PeriodicTimer(options.Value.HealthCheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!index.NeedsRepair) continue;
            LogRepairing();
            try
            {
                await index.OpenAsync(source, progress, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogOpenFailed(e, options.Value.HealthCheckInterval.TotalSeconds);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No ISearchDocumentSource is registered: the search index cannot be rebuilt from the election.")]
    private partial void LogNoSource();

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index rebuild: {DocumentCount} documents indexed in {Seconds:F1} s.")]
    private partial void LogProgress(long documentCount, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Opening the search index failed; trying again in {Seconds} s.")]
    private partial void LogOpenFailed(Exception exception, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The search index on disk is gone or damaged; rebuilding it.")]
    private partial void LogRepairing();
}
