using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Ingest.Tests.Infrastructure;
using Portal.Ingest.Verification;

namespace Portal.Ingest.Tests;

public sealed class IdempotencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProtocolsSubmittedTwiceAndShuffledGiveIdenticalTotals()
    {
        var election = TestElection.Create();
        var workload = Workload.Create(election.Election, seed: 7);
        var expected = workload.ExpectedTotals();

        string inOrder;
        await using (var host = await PortalTestHost.StartAsync(TestElection.AfterClose, election: election))
        {
            await Workload.SendAsync(host.Stations, workload.FirstVersions, 1, Ct);
            await Workload.SendAsync(host.Stations, workload.Corrections, 1, Ct);
            inOrder = await SettledTotalsAsync(host, expected);
        }

        await using (var host = await PortalTestHost.StartAsync(TestElection.AfterClose, election: election))
        {
            var random = new Random(11);
            var twice = workload.FirstVersions.Concat(workload.FirstVersions).OrderBy(_ => random.Next()).ToList();
            await Workload.SendAsync(host.Stations, twice, 4, Ct);
            await Workload.SendAsync(host.Stations, workload.Corrections.Concat(workload.Corrections).OrderBy(_ => random.Next()), 1, Ct);
            var shuffled = await SettledTotalsAsync(host, expected);
            Assert.Equal(inOrder, shuffled);
            var head = await host.HeadAsync();
            Assert.Equal(workload.FirstVersions.Count + workload.Corrections.Count, head.Seq);
            var verification = await new LedgerVerifier(host.Http).VerifyAsync(Ct);
            Assert.True(verification.Ok, verification.ToString());
        }
    }

    /// <summary>Waits until the national totals equal the expected sums, then returns them (and the constituency totals) as JSON.</summary>
    private static async Task<string> SettledTotalsAsync(PortalTestHost host, Dictionary<string, (long Issued, long InBoxes, Dictionary<string, long> Votes)> expected)
    {
        JsonElement election = default;
        await Wait.UntilAsync(async () =>
        {
            election = await host.Http.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{TestElection.Id}", Ct);
            return election.GetProperty("contests").EnumerateArray().All(c =>
            {
                var r = c.GetProperty("results");
                var e = expected[c.GetProperty("id").GetString()!];
                var t = r.GetProperty("totals");
                return t.GetProperty("votersIssuedBallots").GetInt64() == e.Issued && t.GetProperty("ballotsInBoxes").GetInt64() == e.InBoxes &&
                       e.Votes.All(v => t.GetProperty("candidateVotes").GetProperty(v.Key).GetInt64() == v.Value);
            });
        }, "national totals equal to the sum of the latest protocols");
        var parts = new List<string> { election.GetProperty("contests").GetRawText() };
        foreach (var (contest, id) in new[] { ("legislative", "1"), ("legislative", "2"), ("council", "A") })
        {
            var c = await host.Http.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{TestElection.Id}/contests/{contest}/constituencies/{id}", Ct);
            parts.Add(c.GetProperty("totals").GetRawText());
            parts.Add(c.GetProperty("outcome").GetRawText());
        }
        return string.Join('\n', parts);
    }
}
