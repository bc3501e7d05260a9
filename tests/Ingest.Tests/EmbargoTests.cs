using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Grains.Abstractions;
using Portal.Ingest.Tests.Infrastructure;

namespace Portal.Ingest.Tests;

/// <summary>Art. 103: before polls close no result figure leaves the system (API, CSV, live feed); turnout does.</summary>
public sealed class EmbargoTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BeforeCloseTheApiCsvAndLiveFeedCarryNoResultNumbers()
    {
        var election = TestElection.Create();
        using var temp = new TempDirectory("embargo-");
        var dataDir = temp.Path;
        // Results exist in the ledger (accepted after close) ...
        await using (var before = await PortalTestHost.StartAsync(TestElection.AfterClose, dataDir, election))
        {
            var workload = Workload.Create(election.Election, seed: 3, corrections: 0);
            await Workload.SendAsync(before.Stations, workload.FirstVersions.Where(w => w.StationId != "s6"), 2, Ct);
        }
        // ... and a portal whose election clock says voting is still on (a restarted demo) must not publish them.
        await using var host = await PortalTestHost.StartAsync(TestElection.DuringVoting, dataDir, election);
        var (observer, _) = await CapturingObserver.RegisterAsync(host.Grains);
        Assert.Equal(HttpStatusCode.Created, (await host.Stations.PostTurnoutAsync("s6", Bodies.Turnout("t-s6", 250, TestElection.DuringVoting), Ct)).StatusCode);
        await Wait.UntilAsync(() => Task.FromResult(observer.Messages.Any(m => m.Topic == LiveTopics.Election(TestElection.Id) && m.Type == LiveTopics.Turnout)),
            "the election turnout message");

        var summary = await host.Http.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{TestElection.Id}", Ct);
        Assert.False(summary.GetProperty("resultsPublic").GetBoolean());
        Assert.Equal(250, summary.GetProperty("turnout").GetProperty("votersIssuedBallots").GetInt64());
        Assert.All(summary.GetProperty("contests").EnumerateArray(), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("results").ValueKind));

        foreach (var (contest, id) in new[] { ("legislative", "1"), ("legislative", "2"), ("council", "A") })
        {
            var c = await host.Http.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{TestElection.Id}/contests/{contest}/constituencies/{id}", Ct);
            Assert.False(c.GetProperty("resultsPublic").GetBoolean());
            Assert.Equal(JsonValueKind.Null, c.GetProperty("totals").ValueKind);
            Assert.Equal(JsonValueKind.Null, c.GetProperty("outcome").ValueKind);
            Assert.All(c.GetProperty("stations").EnumerateArray(), s => Assert.Equal(JsonValueKind.Null, s.GetProperty("tally").ValueKind));
            Assert.DoesNotContain("candidateVotes", c.GetRawText());
        }
        var station = await host.Http.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{TestElection.Id}/stations/s1", Ct);
        Assert.All(station.GetProperty("protocols").EnumerateArray(), p => Assert.Equal(JsonValueKind.Null, p.GetProperty("figures").ValueKind));
        Assert.DoesNotContain("candidateVotes", station.GetRawText());

        var csv = (await host.Http.GetStringAsync($"/api/v1/elections/{TestElection.Id}/results.csv", Ct)).TrimEnd('\n').Split('\n');
        Assert.StartsWith("electionId,contestId,constituencyId", Assert.Single(csv));

        Assert.DoesNotContain(observer.Messages, m => m.Type == LiveTopics.Results);
        Assert.DoesNotContain(observer.Messages, m => m.Json.Contains("candidateVotes", StringComparison.Ordinal));

        // After close the same surfaces carry the figures (so the checks above could fail).
        host.ElectionTime.SetUtcNow(TestElection.AfterClose);
        var workload6 = Workload.Create(election.Election, seed: 3, corrections: 0).FirstVersions.Where(w => w.StationId == "s6");
        await Workload.SendAsync(host.Stations, workload6, 1, Ct);
        await Wait.UntilAsync(() => Task.FromResult(observer.Messages.Any(m => m.Type == LiveTopics.Results && m.Json.Contains("candidateVotes", StringComparison.Ordinal))),
            "a results message after close");
        await Wait.UntilAsync(async () =>
        {
            var lines = (await host.Http.GetStringAsync($"/api/v1/elections/{TestElection.Id}/results.csv", Ct)).TrimEnd('\n').Split('\n');
            return lines.Length == 1 + 8;
        }, "results.csv with one row per station and contest");
        var full = (await host.Http.GetStringAsync($"/api/v1/elections/{TestElection.Id}/results.csv", Ct)).TrimEnd('\n').Split('\n');
        Assert.Contains(full, l => l.StartsWith("test-2024,legislative,1,r1,s1,1,reported,1,", StringComparison.Ordinal) && l.Contains("c-1-1=", StringComparison.Ordinal) && l.Contains("|c-1-3=", StringComparison.Ordinal));
    }
}
