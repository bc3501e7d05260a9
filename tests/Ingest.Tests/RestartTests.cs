using System.Net.Http.Json;
using System.Text.Json;
using Portal.Ingest.Tests.Infrastructure;
using Portal.Ingest.Verification;

namespace Portal.Ingest.Tests;

public sealed class RestartTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GrainStateIsRebuiltFromTheLedgerAfterARestart()
    {
        var election = TestElection.Create();
        using var temp = new TempDirectory("restart-");
        var dataDir = temp.Path;
        var workload = Workload.Create(election.Election, seed: 5);
        string stationBefore, constituencyBefore, electionBefore;
        (long, string) headBefore;
        await using (var host = await PortalTestHost.StartAsync(TestElection.AfterClose, dataDir, election))
        {
            await host.Stations.PostTurnoutAsync("s1", Bodies.Turnout("t1", 400, TestElection.DuringVoting), Ct);
            await Workload.SendAsync(host.Stations, workload.FirstVersions, 3, Ct);
            await Workload.SendAsync(host.Stations, workload.Corrections, 1, Ct);
            (stationBefore, constituencyBefore, electionBefore) = await ReadAsync(host, settleFor: workload);
            headBefore = await host.HeadAsync();
        }
        await using (var host = await PortalTestHost.StartAsync(TestElection.AfterClose, dataDir, election))
        {
            Assert.Equal(headBefore, await host.HeadAsync());
            var (station, constituency, electionJson) = await ReadAsync(host, settleFor: workload);
            Assert.Equal(stationBefore, station);
            Assert.Equal(constituencyBefore, constituency);
            Assert.Equal(electionBefore, electionJson);
            var verification = await new LedgerVerifier(host.Http).VerifyAsync(Ct);
            Assert.True(verification.Ok, verification.ToString());
        }
    }

    private static async Task<(string, string, string)> ReadAsync(PortalTestHost host, Workload settleFor)
    {
        var expected = settleFor.ExpectedTotals();
        JsonElement election = default;
        await Wait.UntilAsync(async () =>
        {
            election = await host.Http.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{TestElection.Id}", Ct);
            return election.GetProperty("turnout").GetProperty("votersIssuedBallots").GetInt64() == 400 &&
                   election.GetProperty("contests").EnumerateArray().All(c =>
                       c.GetProperty("results").GetProperty("totals").GetProperty("ballotsInBoxes").GetInt64() == expected[c.GetProperty("id").GetString()!].InBoxes);
        }, "settled totals");
        var station = await host.Http.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{TestElection.Id}/stations/s1", Ct);
        var constituency = await host.Http.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{TestElection.Id}/contests/legislative/constituencies/1", Ct);
        return (Strip(station), constituency.GetRawText(), election.GetProperty("contests").GetRawText() + election.GetProperty("turnout").GetRawText());
    }

    private static string Strip(JsonElement station) =>
        station.GetProperty("turnoutTimeline").GetRawText() + station.GetProperty("protocols").GetRawText() + station.GetProperty("turnout").GetRawText();
}
