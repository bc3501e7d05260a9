using Microsoft.Extensions.Logging.Abstractions;
using Portal.Grains.Demo;
using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.Grains.Results;
using Portal.Ingest.Stations;
using Portal.Ops;

namespace Portal.Tests.Ops;

public sealed class IntakeReportTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portal-intake-").FullName;
    private readonly ElectionCatalog _catalog;
    private readonly SqliteLedgerStore _ledger;
    private readonly FixedTime _time = new();
    private readonly OpsLedgerView _view;
    private readonly IntakeReport _report;

    public IntakeReportTests()
    {
        var election = DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = 6, ActiveCameraStations = 0, Seed = 11, ElectionDay = new DateOnly(2024, 10, 27) });
        _catalog = new ElectionCatalog(election, []);
        _ledger = new SqliteLedgerStore(Path.Combine(_dir, "ledger.db"), groupCommit: true, maxBatch: 64, NullLogger<SqliteLedgerStore>.Instance);
        _view = new OpsLedgerView(_ledger, _catalog, new StationKeyRegistry(_catalog), NullLogger<OpsLedgerView>.Instance);
        _report = new IntakeReport(_view, _catalog, ElectionClock.FromTimeProvider(_catalog, _time));
    }

    private StationDefinition A => _catalog.Election.Stations[0];
    private StationDefinition B => _catalog.Election.Stations[1];
    private StationDefinition C => _catalog.Election.Stations[2];

    [Fact]
    public async Task MissingTurnoutIsListedPerPassedReportingHourOnly()
    {
        _time.Now = Local(13, 0);
        await TurnoutAsync(A, 10, 5, 0.10);
        await _view.CatchUpAsync();
        var rows = _report.Rows(new IntakeQuery(Issue: IntakeIssue.MissingTurnout));
        Assert.Equal(["10:00", "12:00"], _report.PassedHours());
        Assert.DoesNotContain(rows, r => r.StationId == A.Id && r.Hour == "10:00");
        Assert.Contains(rows, r => r.StationId == A.Id && r.Hour == "12:00");
        Assert.Contains(rows, r => r.StationId == B.Id && r.Hour == "10:00");
        Assert.DoesNotContain(rows, r => r.Hour == "14:00");
        Assert.DoesNotContain(_report.Rows(new IntakeQuery()), r => r.Issue == IntakeIssue.MissingProtocol);
    }

    [Fact]
    public async Task AfterCloseMissingCorrectedAndImplausibleAreListed()
    {
        _time.Now = Local(21, 30);
        await TurnoutAsync(A, 10, 0, 0.10);
        await TurnoutAsync(A, 12, 0, 0.15);
        await TurnoutAsync(A, 14, 0, 0.50); // +35 points
        await TurnoutAsync(A, 20, 0, 0.97); // over 95%
        var contest = _catalog.Election.Contests[0].Id;
        await ProtocolAsync(C, contest, topShare: 0.5, version: 1, supersedes: null, reason: null);
        await ProtocolAsync(C, contest, topShare: 0.95, version: 2, supersedes: "1", reason: "=HYPERLINK(\"http://x\") recount");
        await _view.CatchUpAsync();

        var rows = _report.Rows(new IntakeQuery());
        Assert.Contains(rows, r => r.StationId == A.Id && r.Issue == IntakeIssue.TurnoutJump && r.Value > 30);
        Assert.Contains(rows, r => r.StationId == A.Id && r.Issue == IntakeIssue.TurnoutOver95);
        Assert.Contains(rows, r => r.StationId == C.Id && r.Issue == IntakeIssue.Corrected && r.ContestId == contest && r.Value == 2);
        Assert.Contains(rows, r => r.StationId == C.Id && r.Issue == IntakeIssue.CandidateOver90);
        Assert.DoesNotContain(rows, r => r.StationId == C.Id && r.Issue == IntakeIssue.MissingProtocol && r.ContestId == contest);
        Assert.Contains(rows, r => r.StationId == B.Id && r.Issue == IntakeIssue.MissingProtocol && r.ContestId == contest);
        Assert.Equal(B.Constituencies.Count, rows.Count(r => r.StationId == B.Id && r.Issue == IntakeIssue.MissingProtocol));

        // Filters, sorting and the CSV.
        var byValue = _report.Rows(new IntakeQuery(Sort: "value", Descending: true)).Where(r => r.Value is not null).Select(r => r.Value!.Value).ToList();
        Assert.Equal(byValue.OrderByDescending(v => v), byValue);
        Assert.All(_report.Rows(new IntakeQuery(RegionId: B.RegionId)), r => Assert.Equal(B.RegionId, r.RegionId));
        var csv = IntakeReport.ToCsv(_report.Rows(new IntakeQuery(Issue: IntakeIssue.Corrected)));
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("stationId,stationNumber,regionId,constituencyId,issue,contestId,hour,value,detail", lines[0]);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{C.Id},{C.Number},{C.RegionId},", lines[1]);
        Assert.Contains("recount", lines[1]);
    }

    private DateTimeOffset Local(int hour, int minute)
    {
        var local = new DateTime(2024, 10, 27, hour, minute, 0);
        return new DateTimeOffset(local, _catalog.TimeZone.GetUtcOffset(local));
    }

    private async Task TurnoutAsync(StationDefinition station, int hour, int minute, double share)
    {
        var t = new TurnoutSubmission(Guid.NewGuid().ToString(), Local(hour, minute), (int)(station.VotersOnList * share), station.VotersOnList);
        await _ledger.AppendAsync(new LedgerAppend(LedgerKinds.Turnout, station.Id, LedgerPayloads.Turnout(t, 1), Local(hour, minute), null));
    }

    private async Task ProtocolAsync(StationDefinition station, string contest, double topShare, int version, string? supersedes, string? reason)
    {
        var candidates = _catalog.FindConstituency(contest, station.Constituencies[contest])!.Candidates;
        var valid = 1000;
        var votes = candidates.Select((c, i) => (c.Id, Votes: i == 0 ? (int)(valid * topShare) : 0)).ToDictionary(x => x.Id, x => x.Votes);
        votes[candidates[^1].Id] += valid - votes.Values.Sum();
        var p = new ProtocolSubmission(Guid.NewGuid().ToString(), contest, 2000, 1500, 1010, 1010, 10, 0, 490, votes, supersedes, reason);
        await _ledger.AppendAsync(new LedgerAppend(LedgerKinds.Protocol, station.Id, LedgerPayloads.Protocol(p, version), Local(21, 0), null));
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _ledger.DisposeAsync();
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private sealed class FixedTime : TimeProvider
    {
        public DateTimeOffset Now { get; set; }
        public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
    }
}
