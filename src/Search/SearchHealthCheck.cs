using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Portal.Search;

/// <summary>
/// /healthz "search": which backend, and whether it answers. With Elasticsearch it is a readiness check: a node that
/// cannot reach the cluster takes no traffic (its searches and publications would fail).
/// </summary>
public sealed class SearchHealthCheck(ISearchIndex index) : IHealthCheck
{
    public const string Name = "search";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            var status = await index.CheckAsync(timeout.Token);
            return status.Healthy ? HealthCheckResult.Healthy(status.Description) : HealthCheckResult.Unhealthy(status.Description);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"{index.Backend}: no answer within 5 s");
        }
    }
}
