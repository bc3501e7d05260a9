using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Grains.Model;
using Portal.Ingest.Simulation;

/// <summary>Live-hub delivery across nodes: viewers on the given nodes, signed turnout reports into one node.</summary>
internal static class HubDelivery
{
    public static async Task<(double P50, double P99)> MeasureAsync(string name, IReadOnlyList<Uri> viewerNodes, Uri reportNode, string electionId,
        IReadOnlyList<StationDefinition> stations, IReadOnlyDictionary<string, StationPrivateKey> keys, int viewers, int firstVoters = 100, int seconds = 15)
    {
        // When each figure was posted, per station; a viewer's latency is its receive time minus that.
        var posted = new ConcurrentDictionary<(string Station, int Voters), long>();
        var latencies = new ConcurrentBag<double>();
        var connections = new List<HubConnection>();
        for (var i = 0; i < viewers; i++)
        {
            var station = stations[i % stations.Count].Id;
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(viewerNodes[i % viewerNodes.Count], "/hubs/live"), o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; })
                .Build();
            hub.On<JsonElement>("turnout", e =>
            {
                var now = Stopwatch.GetTimestamp();
                var voters = e.GetProperty("state").GetProperty("turnout").GetProperty("votersIssuedBallots").GetInt32();
                if (posted.TryGetValue((station, voters), out var at)) latencies.Add(Stopwatch.GetElapsedTime(at, now).TotalMilliseconds);
            });
            await hub.StartAsync();
            await hub.InvokeAsync("Subscribe", $"station:{electionId}:{station}");
            connections.Add(hub);
        }
        using var http = new HttpClient { BaseAddress = reportNode, Timeout = TimeSpan.FromSeconds(10) };
        var client = new StationClient(http, keys);
        var failed = 0;
        var sw = Stopwatch.StartNew();
        // One report per station per second (each a new figure), for the measured seconds.
        for (var second = 0; second < seconds; second++)
        {
            var tick = Stopwatch.StartNew();
            await Task.WhenAll(stations.Select(async s =>
            {
                var voters = firstVoters + second;
                posted[(s.Id, voters)] = Stopwatch.GetTimestamp();
                using var response = await client.PostTurnoutAsync(s.Id, new { submissionId = Guid.NewGuid().ToString(), asOf = DateTimeOffset.UtcNow, votersIssuedBallots = voters });
                if (response.StatusCode != HttpStatusCode.Created) Interlocked.Increment(ref failed);
            }));
            var wait = TimeSpan.FromSeconds(1) - tick.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
        }
        await Task.Delay(3000);
        foreach (var c in connections) await c.DisposeAsync();
        var sorted = latencies.Order().ToArray();
        double Pct(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        var expected = (long)viewers * seconds;
        Console.WriteLine();
        Console.WriteLine($"== {name}");
        Console.WriteLine($"{viewers} viewers on {viewerNodes.Count} node(s), {stations.Count} stations x {seconds} reports ({failed} not 201): " +
                          $"{sorted.Length:N0} deliveries of {expected:N0} expected; delivery p50 {Pct(0.5):0} ms, p99 {Pct(0.99):0} ms");
        return (Pct(0.5), Pct(0.99));
    }
}
