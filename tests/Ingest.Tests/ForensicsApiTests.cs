using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Grains.Abstractions;
using Portal.Grains.Forensics;
using Portal.Grains.Model;
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

    [Fact]
    public async Task VolunteerCountsClearlyBelowTheOfficialIncreaseFlagTheStationInTheReportAndTheCsv()
    {
        var election = TestElection.Create();
        // s1 and s2 each have a camera on the ballot box: their voting day is cut into ten-minute clips (12 in 08:00-10:00).
        foreach (var id in new[] { "s1", "s2" }) election.Election.Stations.Single(s => s.Id == id).Cameras[0].View = CameraViews.BallotBox;
        await using var host = await PortalTestHost.StartAsync(TestElection.DuringVoting, election: election);
        var open = TestElection.PollsOpen;
        foreach (var id in new[] { "s1", "s2" })
            Assert.Equal(HttpStatusCode.Created, (await host.Stations.PostTurnoutAsync(id, Bodies.Turnout($"{id}-10", 300, open.AddHours(2)), Ct)).StatusCode);

        // Three volunteers count every clip of the first window: 300 ballots at s1 (the official increase), 120 at s2.
        var counting = host.Grains.GetGrain<ICountingGrain>(TestElection.Id);
        var clips = (await counting.GetClipsAsync()).Where(c => c.Clip.Window == 0).Select(c => c.Clip).ToList();
        Assert.Equal(24, clips.Count);
        foreach (var clip in clips)
            for (var volunteer = 0; volunteer < 3; volunteer++)
            {
                var count = clip.StationId == "s1" ? 25 : 10;
                Assert.Equal(CountSubmitOutcome.Accepted, (await counting.SubmitAsync($"volunteer-{volunteer}", clip.Id, count, count)).Outcome);
            }

        JsonElement body = default;
        await Wait.UntilAsync(async () =>
        {
            body = await host.Http.GetFromJsonAsync<JsonElement>(Report, Ct);
            return body.GetProperty("flags").EnumerateArray().Any(f => f.GetProperty("codes").EnumerateArray().Any(c => c.GetString() == FlagCodes.VideoCountBelowOfficial));
        }, "the video-count-below-official flag in the report");
        var flag = Assert.Single(body.GetProperty("flags").EnumerateArray());
        Assert.Equal("s2", flag.GetProperty("stationId").GetString());
        Assert.Equal([FlagCodes.VideoCountBelowOfficial], flag.GetProperty("codes").EnumerateArray().Select(c => c.GetString()));

        // forensics.csv: the flag's column (the last) is 1 for s2 and 0 for the honest s1 (the CSV is output-cached for two seconds).
        string[] csv = [];
        string[] header = [];
        string Cell(string station, string column) => csv.Single(l => l.StartsWith($"{TestElection.Id},legislative,", StringComparison.Ordinal) && l.Contains($",{station},", StringComparison.Ordinal)).Split(',')[Array.IndexOf(header, column)];
        await Wait.UntilAsync(async () =>
        {
            csv = (await host.Http.GetStringAsync(Csv, Ct)).TrimEnd('\n').Split('\n');
            header = csv[0].Split(',');
            return header.Contains(FlagCodes.VideoCountBelowOfficial) && csv.Skip(1).Any(l => l.Contains(",s2,", StringComparison.Ordinal) && Cell("s2", FlagCodes.VideoCountBelowOfficial) == "1");
        }, "the flag in forensics.csv");
        Assert.Equal(FlagCodes.VideoCountBelowOfficial, header[^1]);
        Assert.Equal("0", Cell("s1", FlagCodes.VideoCountBelowOfficial));
        Assert.All(csv.Skip(1).Where(l => !l.Contains(",s2,", StringComparison.Ordinal)), l => Assert.EndsWith(",0", l));
    }

    [Fact]
    public async Task ACameraOutageFlagComesFromTheLedgerRecordAndSurvivesARestart()
    {
        using var temp = new TempDirectory("forensics-camera-");
        var open = TestElection.PollsOpen;
        var election = TestElection.Create();
        await using (var before = await PortalTestHost.StartAsync(TestElection.DuringVoting, temp.Path, election))
        {
            // The camera grain appends each recorded change to the ledger (camera-state entries) and keeps its history in memory.
            var camera = before.Grains.GetGrain<ICameraGrain>("cam-s3-a");
            await camera.ReportAsync(new CameraHealthReport(CameraState.Live, open.AddMinutes(5), 1000, 0, null, null, null));
            await camera.ReportAsync(new CameraHealthReport(CameraState.Offline, open.AddHours(2), 0, 1, "connection refused", null, null));
            await camera.ReportAsync(new CameraHealthReport(CameraState.Live, open.AddHours(2).AddMinutes(15), 1000, 1, null, null, null));
        }
        // A new portal on the same data dir: the camera grains' memory is gone, the ledger is not.
        await using var host = await PortalTestHost.StartAsync(TestElection.DuringVoting, temp.Path, election);
        JsonElement body = default;
        await Wait.UntilAsync(async () =>
        {
            body = await host.Http.GetFromJsonAsync<JsonElement>(Report, Ct);
            return body.GetProperty("flags").GetArrayLength() > 0;
        }, "the camera-offline-while-voting flag after the restart");
        var flag = Assert.Single(body.GetProperty("flags").EnumerateArray());
        Assert.Equal("s3", flag.GetProperty("stationId").GetString());
        Assert.Equal([FlagCodes.CameraOffline], flag.GetProperty("codes").EnumerateArray().Select(c => c.GetString()));
        Assert.Empty((await host.Grains.GetGrain<ICameraGrain>("cam-s3-a").GetStatusAsync()).History);
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
