using System.Net;
using Portal.Grains.Model;
using Portal.Ingest.Simulation;

namespace Portal.Ingest.Tests.Infrastructure;

/// <summary>Protocols for every station and contest of an election, with a few corrections, and the totals they must give.</summary>
public sealed class Workload
{
    public required List<(string StationId, Dictionary<string, object?> Body)> FirstVersions { get; init; }
    public required List<(string StationId, Dictionary<string, object?> Body)> Corrections { get; init; }

    public static Workload Create(ElectionDefinition election, int seed, int corrections = 2)
    {
        var random = new Random(seed);
        var first = new List<(string, Dictionary<string, object?>)>();
        foreach (var station in election.Stations)
            foreach (var (contestId, constituencyId) in station.Constituencies)
            {
                var candidates = election.Contests.Single(c => c.Id == contestId).Constituencies.Single(k => k.Id == constituencyId).Candidates;
                first.Add((station.Id, ProtocolFactory.Protocol(random, $"{station.Id}-{contestId}-v1", contestId, station.VotersOnList, 0.5 + random.NextDouble() * 0.4, candidates)));
            }
        var fixes = first.Take(corrections).Select(f =>
        {
            var contestId = (string)f.Item2["contestId"]!;
            var station = election.Stations.Single(s => s.Id == f.Item1);
            var candidates = election.Contests.Single(c => c.Id == contestId).Constituencies.Single(k => k.Id == station.Constituencies[contestId]).Candidates;
            return (f.Item1, ProtocolFactory.Protocol(random, $"{f.Item1}-{contestId}-v2", contestId, station.VotersOnList, 0.6, candidates,
                supersedes: (string)f.Item2["submissionId"]!, reason: "recount ordered by the district commission"));
        }).ToList();
        return new Workload { FirstVersions = first, Corrections = fixes };
    }

    /// <summary>The sum of the latest version of every station's protocol, per contest: what the national totals must equal.</summary>
    public Dictionary<string, (long Issued, long InBoxes, Dictionary<string, long> Votes)> ExpectedTotals()
    {
        var latest = new Dictionary<(string, string), Dictionary<string, object?>>();
        foreach (var (station, body) in FirstVersions.Concat(Corrections)) latest[(station, (string)body["contestId"]!)] = body;
        return latest.GroupBy(kv => kv.Key.Item2).ToDictionary(g => g.Key, g =>
        {
            var votes = new Dictionary<string, long>();
            foreach (var body in g.Select(kv => kv.Value))
                foreach (var (id, v) in (Dictionary<string, int>)body["candidateVotes"]!) votes[id] = votes.GetValueOrDefault(id) + v;
            return (g.Sum(kv => (long)(int)kv.Value["votersIssuedBallots"]!), g.Sum(kv => (long)(int)kv.Value["ballotsInBoxes"]!), votes);
        });
    }

    public static async Task SendAsync(StationClient client, IEnumerable<(string StationId, Dictionary<string, object?> Body)> items, int parallelism, CancellationToken ct)
    {
        await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct }, async (item, token) =>
        {
            // As a device does: a 429 (the station key's in-flight slots or the queue are full) is retried after Retry-After.
            var response = await client.PostProtocolAsync(item.StationId, item.Body, token);
            for (var attempt = 0; response.StatusCode == HttpStatusCode.TooManyRequests && attempt < 30; attempt++)
            {
                var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(200);
                response.Dispose();
                await Task.Delay(wait < TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1), token); // deliberate: the device honours Retry-After
                response = await client.PostProtocolAsync(item.StationId, item.Body, token);
            }
            using var _ = response;
            if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
                Assert.Fail($"{item.StationId} {item.Body["submissionId"]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
        });
    }
}
