using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Ingest.Tests.Infrastructure;
using Portal.Ingest.Verification;

namespace Portal.Ingest.Tests;

public sealed class SubmissionFlowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SameSubmissionAgainReturns200WithTheOriginalBody()
    {
        await using var host = await PortalTestHost.StartAsync(TestElection.AfterClose);
        using var first = await host.Stations.PostProtocolAsync("s2", Bodies.Protocol("dup-1"), Ct);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var head = await host.HeadAsync();
        using var again = await host.Stations.PostProtocolAsync("s2", Bodies.Protocol("dup-1"), Ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var firstBody = await first.Content.ReadAsStringAsync(Ct);
        Assert.Equal(firstBody, await again.Content.ReadAsStringAsync(Ct));
        Assert.Equal(head, await host.HeadAsync());
        using var doc = JsonDocument.Parse(firstBody);
        Assert.Equal("dup-1", doc.RootElement.GetProperty("submissionId").GetString());
        Assert.Equal(1, doc.RootElement.GetProperty("version").GetInt32());
        Assert.Equal(head.Seq, doc.RootElement.GetProperty("ledgerSeq").GetInt64());
        Assert.Equal(head.Hash, doc.RootElement.GetProperty("entryHash").GetString());
    }

    [Fact]
    public async Task CorrectionsKeepEveryVersionWithReasonAndLedgerHash()
    {
        await using var host = await PortalTestHost.StartAsync(TestElection.AfterClose);
        Assert.Equal(HttpStatusCode.Created, (await host.Stations.PostProtocolAsync("s1", Bodies.Protocol("v1"), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await host.Stations.PostProtocolAsync("s1", Bodies.Protocol("v2", supersedes: "v1", reason: "recount of c-1-1", c1: 310), Ct)).StatusCode);
        // supersedes may also name the version number.
        Assert.Equal(HttpStatusCode.Created, (await host.Stations.PostProtocolAsync("s1", Bodies.Protocol("v3", supersedes: "2", reason: "typo", c1: 305), Ct)).StatusCode);
        // Superseding an older version is stale.
        Assert.Equal(HttpStatusCode.Conflict, (await host.Stations.PostProtocolAsync("s1", Bodies.Protocol("v4", supersedes: "v2", reason: "late", c1: 306), Ct)).StatusCode);

        var station = await host.Http.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{TestElection.Id}/stations/s1", Ct);
        var versions = station.GetProperty("protocols").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], versions.Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal([null, "recount of c-1-1", "typo"], versions.Select(v => v.GetProperty("reason").GetString()));
        Assert.Equal([false, false, true], versions.Select(v => v.GetProperty("latest").GetBoolean()));
        Assert.All(versions, v => Assert.Equal(64, v.GetProperty("entryHash").GetString()!.Length));
        Assert.Equal(305, versions[2].GetProperty("figures").GetProperty("candidateVotes").GetProperty("c-1-1").GetInt32());
        var cameras = station.GetProperty("cameras").EnumerateArray().ToList();
        Assert.Equal("/hls/cam-s1-a/live.m3u8", Assert.Single(cameras).GetProperty("hlsUrl").GetString());
        Assert.DoesNotContain("secret", station.GetRawText());

        // Only the latest version counts.
        await Wait.UntilAsync(async () =>
        {
            var c = await host.Http.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{TestElection.Id}/contests/legislative/constituencies/1", Ct);
            return c.GetProperty("totals").ValueKind == JsonValueKind.Object && c.GetProperty("totals").GetProperty("candidateVotes").GetProperty("c-1-1").GetInt64() == 305;
        }, "constituency totals with the latest version");
        var verification = await new LedgerVerifier(host.Http).VerifyAsync(Ct);
        Assert.True(verification.Ok, verification.ToString());
        Assert.Equal(3, verification.Entries);
    }

    [Fact]
    public async Task OlderTurnoutIsStoredButDoesNotMoveTheFigureBack()
    {
        await using var host = await PortalTestHost.StartAsync(TestElection.DuringVoting);
        var at10 = TestElection.PollsOpen.AddHours(2);
        Assert.Equal(HttpStatusCode.Created, (await host.Stations.PostTurnoutAsync("s4", Bodies.Turnout("t12", 600, at10.AddHours(2)), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await host.Stations.PostTurnoutAsync("s4", Bodies.Turnout("t10", 300, at10, 1510), Ct)).StatusCode);
        var station = await host.Http.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{TestElection.Id}/stations/s4", Ct);
        Assert.Equal(2, station.GetProperty("turnoutTimeline").GetArrayLength());
        Assert.Equal(600, station.GetProperty("turnout").GetProperty("votersIssuedBallots").GetInt32());
        await Wait.UntilAsync(async () =>
        {
            var e = await host.Http.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{TestElection.Id}", Ct);
            return e.GetProperty("turnout").GetProperty("votersIssuedBallots").GetInt64() == 600;
        }, "national turnout 600");
    }

    [Fact]
    public async Task FullIntakeQueueAnswers429WithRetryAfter()
    {
        await using var host = await PortalTestHost.StartAsync(TestElection.DuringVoting, settings: new Dictionary<string, string?> { ["Intake:MaxInFlight"] = "1" });
        var intake = (Portal.Ingest.Stations.StationIntake)host.Services.GetService(typeof(Portal.Ingest.Stations.StationIntake))!;
        var head = await host.HeadAsync();
        var held = intake.TryTakeSlot();
        Assert.NotNull(held);
        using (var rejected = await host.Stations.PostTurnoutAsync("s2", Bodies.Turnout("t-429", 10, TestElection.DuringVoting), Ct))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
            Assert.True(rejected.Headers.RetryAfter?.Delta > TimeSpan.Zero);
            Assert.Contains("overloaded", await rejected.Content.ReadAsStringAsync(Ct));
        }
        Assert.Equal(head, await host.HeadAsync());
        held!.Dispose();
        using var accepted = await host.Stations.PostTurnoutAsync("s2", Bodies.Turnout("t-429", 10, TestElection.DuringVoting), Ct);
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }
}
