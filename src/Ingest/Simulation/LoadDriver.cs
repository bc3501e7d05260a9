using System.Diagnostics;
using System.Net;

namespace Portal.Ingest.Simulation;

/// <summary>One submission to post; <paramref name="Authorization"/> set when it was signed ahead (<see cref="StationClient.Presign"/>).</summary>
public sealed record LoadItem(string StationId, string Kind, byte[] Body, string? Authorization = null);

public sealed record LoadReport(int Acknowledged, int Rejected, int Throttled, TimeSpan Elapsed, double[] LatenciesMs)
{
    public double PerSecond => Acknowledged / Elapsed.TotalSeconds;

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0) return double.NaN;
        var sorted = LatenciesMs.Order().ToArray();
        return sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}

/// <summary>Posts signed submissions with bounded concurrency, retrying 429s after Retry-After; measures ack latency.</summary>
public static class LoadDriver
{
    public static async Task<LoadReport> RunAsync(StationClient client, IReadOnlyList<LoadItem> items, int concurrency,
        Action<LoadItem, HttpStatusCode>? onResult = null, CancellationToken cancellationToken = default)
    {
        var latencies = new double[items.Count];
        int acknowledged = 0, rejected = 0, throttled = 0, next = -1;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < items.Count)
            {
                var item = items[i];
                while (true)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await client.PostAsync(item, cancellationToken);
                    if (response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        Interlocked.Increment(ref throttled);
                        await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
                        continue;
                    }
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK) Interlocked.Increment(ref acknowledged);
                    else Interlocked.Increment(ref rejected);
                    onResult?.Invoke(item, response.StatusCode);
                    break;
                }
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(workers);
        return new LoadReport(acknowledged, rejected, throttled, clock.Elapsed, latencies);
    }
}
