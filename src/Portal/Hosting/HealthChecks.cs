using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Grains.Abstractions;
using Portal.Grains.Model;
using StackExchange.Redis;

namespace Portal.Hosting;

/// <summary>The silo answers grain calls: the election grain is activated and read within a deadline.</summary>
public sealed class SiloHealthCheck(IGrainFactory grains, ElectionCatalog catalog) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var summary = await grains.GetGrain<IElectionGrain>(catalog.Election.Id).GetSummaryAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy($"election grain on {summary.ActivationSilo}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("grain call failed: " + e.GetType().Name);
        }
    }
}

/// <summary>Embedded: the data dir takes a write. Cluster: Redis answers a PING.</summary>
/// <remarks>Health checks are created per run: the Redis connection is the process's shared one, never one per probe.</remarks>
public sealed class StorageHealthCheck(PortalOptions options, PortalClusterOptions cluster, IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (cluster.Enabled)
            {
                var redis = services.GetRequiredService<IConnectionMultiplexer>();
                var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                return HealthCheckResult.Healthy($"redis ping {latency.TotalMilliseconds:F1} ms");
            }
            var probe = Path.Combine(options.DataDir, ".health");
            await File.WriteAllTextAsync(probe, DateTimeOffset.UtcNow.ToString("O"), cancellationToken);
            File.Delete(probe);
            return HealthCheckResult.Healthy("data dir writable");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The message of a Redis failure can carry the connection string: report only the kind.
            return HealthCheckResult.Unhealthy("storage unreachable: " + e.GetType().Name);
        }
    }
}

internal static class HealthResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            durationMs = report.TotalDuration.TotalMilliseconds,
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }

    /// <summary>For the public probes: states only (descriptions name silos and storage).</summary>
    public static Task WritePublicAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString() }),
        }));
    }
}
