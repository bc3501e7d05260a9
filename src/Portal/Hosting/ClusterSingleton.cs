using Portal.StreamGateway.Placement;
using StackExchange.Redis;

namespace Portal.Hosting;

/// <summary>
/// Runs a hosted service on exactly one node of the cluster at a time (the demo's station simulator): the node that
/// holds a Redis lease runs it; when that node dies its lease expires and another node starts the service. The
/// service must be safe to start again elsewhere (the simulator derives its submissions from its seed, so a new runner
/// resends what was sent, answered 200, and carries on).
/// </summary>
internal sealed partial class ClusterSingleton<T>(IServiceProvider services, IConnectionMultiplexer redis, HostingPlan plan, ILogger<ClusterSingleton<T>> logger)
    : BackgroundService where T : class, IHostedService
{
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Renew = TimeSpan.FromSeconds(1);

    private readonly RedisKey _key = plan.RedisPrefix + "singleton:" + typeof(T).Name;
    private readonly string _node = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
    private T? _running;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var heldUntil = DateTimeOffset.MinValue;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var held = false;
                try
                {
                    var db = redis.GetDatabase();
                    held = _running is null
                        ? await RedisLease.TryAcquireAsync(db, _key, _node, LeaseTtl)
                        : await RedisLease.RenewAsync(db, _key, _node, LeaseTtl);
                    if (held) heldUntil = DateTimeOffset.UtcNow + LeaseTtl;
                }
                catch (RedisException e)
                {
                    // Unknown: keep running while the lease we last renewed is still ours.
                    held = DateTimeOffset.UtcNow < heldUntil;
                    LogRedisFailed(logger, typeof(T).Name, e.GetType().Name);
                }

                if (held && _running is null)
                {
                    _running = ActivatorUtilities.CreateInstance<T>(services);
                    await _running.StartAsync(stoppingToken);
                    LogRuns(logger, typeof(T).Name, _node);
                }
                else if (!held && _running is not null)
                {
                    await StopRunningAsync();
                    LogLost(logger, typeof(T).Name, _node);
                }
                await Task.Delay(Renew, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            if (_running is not null)
            {
                await StopRunningAsync();
                try
                {
                    // Let another node take over at once instead of after the lease expires.
                    await RedisLease.ReleaseAsync(redis.GetDatabase(), _key, _node).WaitAsync(TimeSpan.FromSeconds(3));
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    LogRedisFailed(logger, typeof(T).Name, e.GetType().Name);
                }
            }
        }
    }

    private async Task StopRunningAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _running!.StopAsync(timeout.Token);
        (_running as IDisposable)?.Dispose();
        _running = null;
    }

    [LoggerMessage(LogLevel.Information, "{Service} runs on this node ({Node}): it holds the cluster's lease")]
    private static partial void LogRuns(ILogger logger, string service, string node);

    [LoggerMessage(LogLevel.Warning, "{Service} stopped on this node ({Node}): the cluster's lease was lost")]
    private static partial void LogLost(ILogger logger, string service, string node);

    [LoggerMessage(LogLevel.Warning, "{Service} lease check failed: {Error}")]
    private static partial void LogRedisFailed(ILogger logger, string service, string error);
}
