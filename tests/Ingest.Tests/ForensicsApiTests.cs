using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Grains.Forensics;
using Portal.Ingest.Tests.Infrastructure;

namespace Portal.Ingest.Tests;

/// <summary>api.md section 6 "Statistics for observers" over HTTP: the embargo (Art. 103), the selections and forensics.csv.</summary>
public sealed class ForensicsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly string Report = $"/api/v1/elections/{TestElection.Id}/contests/legislative/forensics";
    private static readonly string Csv = $"/api/v1/elections/{TestElection.Id}/forensics.csv";

    [Fact]
    public async Task BeforeCloseOnlyTurnoutFlagsAreServedAndAfterCloseTheStatistics()
    {
        var election = TestElection.Create();
        using var temp = new TempDirectory("forensics-");
        // Protocols in the ledger (accepted after close) ...
        await using (var before = await PortalTestHost.StartAsync(TestElection.AfterClose, temp.Path, election))
        {
            var workload = Workload.Create(election.Election, seed: 5, corrections: 0);
            await Workload.SendAsync(before.Stations, workload.FirstVersions, 2, Ct);
        }
        // ... read by a portal whose clock says voting is on: none of them may show.
        await using var host = await PortalTestHost.StartAsync(TestElection.DuringVoting, temp.Path, election);
        var open = TestElection.PollsOpen;
        Assert.Equal(HttpStatusCode.Created, (await host.Stations.PostTurnoutAsync("s4", Bodies.Turnout("j1", 150, open.AddHours(2)), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await host.Stations.PostTurnoutAsync("s4", Bodies.Turnout("j2", 900, open.AddHours(4)), Ct)).StatusCode);

        JsonElement body = default;
        await Wait.UntilAsync(async () =>
        {
            body = await host.Http.GetFromJsonAsync<JsonElement>(Report, Ct);
            return body.GetProperty("flags").GetArrayLength() > 0;
        }, "the turnout-jump flag");
        Assert.False(body.GetProperty("resultsPublic").GetBoolean());
        Assert.Equal(6, body.GetProperty("stationsTotal").GetInt32());
        foreach (var field in new[] { "stationsReported", "leadingParty", "fingerprint", "integerPercent", "lastDigit", "histograms", "invalidatedStations" })
            Assert.Equal(JsonValueKind.Null, body.GetProperty(field).ValueKind);
        var flag = Assert.Single(body.GetProperty("flags").EnumerateArray());
        Assert.Equal("s4", flag.GetProperty("stationId").GetString());
        Assert.Equal([FlagCodes.TurnoutJump], flag.GetProperty("codes").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(JsonValueKind.Null, flag.GetProperty("turnout").ValueKind);

        var csv = (await host.Http.GetStringAsync(Csv, Ct)).TrimEnd('\n').Split('\n');
        var header = csv[0].Split(',');
        Assert.Equal(1 + 8, csv.Length); // one row per station and contest
        foreach (var line in csv.Skip(1))
        {
            var cells = line.Split(',');
            Assert.Equal("embargoed", cells[Array.IndexOf(header, "status")]);
            foreach (var column in new[] { "version", "turnoutPercent", "leadingParty", "leaderSharePercent", FlagCodes.TurnoutOver95, FlagCodes.IntegerTurnout, FlagCodes.Corrected })
                Assert.Equal("", cells[Array.IndexOf(header, column)]);
        }
        Assert.Contains(csv, l => l.Contains(",s4,", StringComparison.Ordinal) && l.Split(',')[Array.IndexOf(header, FlagCodes.TurnoutJump)] == "1");

        // After close the same addresses carry the statistics (so the checks above could fail).
        host.ElectionTime.SetUtcNow(TestElection.AfterClose);
        await Wait.UntilAsync(async () =>
        {
            body = await host.Http.GetFromJsonAsync<JsonElement>(Report, Ct);
            return body.GetProperty("resultsPublic").GetBoolean();
        }, "the report after close");
        Assert.Equal(6, body.GetProperty("stationsReported").GetInt32());
        Assert.Equal("p", body.GetProperty("leadingParty").GetString());
        Assert.Equal(6, body.GetProperty("fingerprint").GetProperty("cells").EnumerateArray().Sum(c => c[2].GetInt32()));
        Assert.Equal(JsonValueKind.Number, body.GetProperty("integerPercent").GetProperty("turnout").GetProperty("pValue").ValueKind);
        Assert.Equal(10, body.GetProperty("lastDigit").GetProperty("counts").GetArrayLength());

        var region = await host.Http.GetFromJsonAsync<JsonElement>(Report + "?region=r2", Ct);
        Assert.Equal(3, region.GetProperty("stationsTotal").GetInt32());
        Assert.Equal("r2", region.GetProperty("regionId").GetString());
        var constituency = await host.Http.GetFromJsonAsync<JsonElement>(Report + "?constituency=1", Ct);
        Assert.Equal(3, constituency.GetProperty("stationsTotal").GetInt32());

        // (The CSV may still come from the two-second output cache of before.)
        await Wait.UntilAsync(async () => (await host.Http.GetStringAsync(Csv, Ct)).Contains("test-2024,legislative,1,r1,s1,1,reported,1,", StringComparison.Ordinal),
            "forensics.csv after close");
    }

    [Theory]
    [InlineData("/api/v1/elections/nope/contests/legislative/forensics", "electionId")]
    [InlineData("/api/v1/elections/test-2024/contests/nope/forensics", "contestId")]
    [InlineData("/api/v1/elections/test-2024/contests/legislative/forensics?region=nope", "region")]
    [InlineData("/api/v1/elections/test-2024/contests/legislative/forensics?constituency=A", "constituency")]
    [InlineData("/api/v1/elections/nope/forensics.csv", "electionId")]
    public async Task UnknownIdsAre404NamingTheField(string path, string field)
    {
        await using var host = await PortalTestHost.StartAsync(TestElection.AfterClose);
        var response = await host.Http.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = Assert.Single((await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").EnumerateArray());
        Assert.Equal(field, error.GetProperty("field").GetString());
    }
}
