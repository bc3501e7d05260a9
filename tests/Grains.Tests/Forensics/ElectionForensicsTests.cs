using Microsoft.Extensions.Time.Testing;
using Portal.Grains.Abstractions;
using Portal.Grains.Forensics;
using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.Grains.Results;

namespace Portal.Grains.Tests.Forensics;

/// <summary>Known answers: a synthetic election with planted manipulation is caught; the same election without it is not.</summary>
public sealed class ElectionForensicsTests
{
    private const int Stations = 3000;
    private const int Seed = 17;
    private static readonly Planting Planted = new(Stuffed: 120, WholeTurnout: 150, RoundedTallies: 300);

    private static (ElectionForensics Model, SyntheticElection.Result Election, FakeTimeProvider Time) Build(Planting planting, int stations = Stations)
    {
        var election = SyntheticElection.Generate(stations, Seed, planting);
        var time = new FakeTimeProvider(SyntheticElection.PollsClose.AddHours(3));
        var model = new ElectionForensics(SyntheticElection.Catalog(election.Election), ElectionClock.FromTimeProvider(SyntheticElection.Catalog(election.Election), time));
        foreach (var entry in election.Entries) model.Apply(entry);
        return (model, election, time);
    }

    [Fact]
    public void PlantedManipulationIsFoundByEveryTest()
    {
        var (model, election, _) = Build(Planted);
        var report = model.Report("legislative", null, null);

        Assert.True(report.ResultsPublic);
        Assert.Equal(SyntheticElection.Leader, report.LeadingParty);
        Assert.Equal(Stations, report.StationsReported);

        // The fingerprint's second peak: the stuffed stations sit in the corner of turnout and leader share near 100 %.
        var corner = report.Fingerprint!.Cells.Where(c => c[0] >= 95 && c[1] >= 90).Sum(c => c[2]);
        Assert.Equal(Planted.Stuffed, corner);

        // Whole-number turnout in excess of chance; the leader's share was not planted and stays unremarkable.
        var turnout = report.IntegerPercent!.Turnout;
        Assert.True(turnout.Observed > turnout.Expected + 100, $"observed {turnout.Observed}, expected {turnout.Expected}");
        Assert.True(turnout.PValue < 1e-12, $"p = {turnout.PValue}");

        // Tallies rounded to 0 and 5: too many of those last digits, rejected.
        var digits = report.LastDigit!;
        Assert.True(digits.Counts[0] > digits.Counts[1] * 1.2 && digits.Counts[5] > digits.Counts[4] * 1.2, string.Join(",", digits.Counts));
        Assert.True(digits.PValue < 1e-12, $"p = {digits.PValue}");

        // Every stuffed station carries both flags; every whole-turnout station the integer flag.
        var flags = report.Flags.ToDictionary(f => f.StationId, f => f.Codes);
        foreach (var id in election.Stuffed)
        {
            Assert.Contains(FlagCodes.TurnoutOver95, flags[id]);
            Assert.Contains(FlagCodes.LeaderOver90, flags[id]);
        }
        foreach (var id in election.WholeTurnout) Assert.Contains(FlagCodes.IntegerTurnout, flags[id]);
        Assert.Equal(election.Stuffed.Order(), flags.Where(f => f.Value.Contains(FlagCodes.TurnoutOver95)).Select(f => f.Key).Order());
        Assert.Equal(election.Stuffed.Order(), flags.Where(f => f.Value.Contains(FlagCodes.LeaderOver90)).Select(f => f.Key).Order());
    }

    [Fact]
    public void TheSameElectionWithoutPlantingGivesNoneOfThese()
    {
        var (model, _, _) = Build(Planting.None);
        var report = model.Report("legislative", null, null);

        Assert.DoesNotContain(report.Fingerprint!.Cells, c => c[0] >= 95 && c[1] >= 90);
        Assert.True(report.IntegerPercent!.Turnout.PValue > 0.01, $"turnout p = {report.IntegerPercent.Turnout.PValue}");
        Assert.True(report.IntegerPercent.LeaderShare!.PValue > 0.01, $"leader share p = {report.IntegerPercent.LeaderShare.PValue}");
        Assert.True(report.LastDigit!.PValue > 0.01, $"last digit p = {report.LastDigit.PValue}");
        Assert.DoesNotContain(report.Flags, f => f.Codes.Contains(FlagCodes.TurnoutOver95) || f.Codes.Contains(FlagCodes.LeaderOver90));

        // integer-turnout flags honest stations at the chance rate (docs/forensics.md): about 100/n of them, never beyond
        // the expectation plus four standard deviations.
        var flagged = report.Flags.Count(f => f.Codes.Contains(FlagCodes.IntegerTurnout));
        var expected = report.IntegerPercent.Turnout.Expected;
        Assert.Equal(report.IntegerPercent.Turnout.Observed, flagged);
        Assert.True(flagged <= expected + 4 * Math.Sqrt(expected), $"{flagged} flagged, {expected} expected");
    }

    [Fact]
    public void APlantedExcessOfWholeLeaderSharesIsSignificant()
    {
        // The leader's share written as a whole percentage at 150 stations: only the leader-share test reacts.
        var election = SyntheticElection.Generate(Stations, Seed, Planting.None);
        var catalog = SyntheticElection.Catalog(election.Election);
        var model = new ElectionForensics(catalog, ElectionClock.FromTimeProvider(catalog, new FakeTimeProvider(SyntheticElection.PollsClose.AddHours(3))));
        var planted = 0;
        foreach (var entry in election.Entries)
        {
            if (planted < 150 && entry.Seq % 7 == 0)
            {
                var (p, version) = LedgerPayloads.ParseProtocol(entry.Payload);
                var leader = p.CandidateVotes.Keys.Single(k => k.EndsWith("-p-a", StringComparison.Ordinal));
                var valid = p.BallotsInBoxes - p.InvalidBallots;
                var whole = (int)Math.Round(valid * Math.Round(100.0 * p.CandidateVotes[leader] / valid) / 100);
                var other = p.CandidateVotes.Keys.First(k => k != leader);
                var votes = new Dictionary<string, int>(p.CandidateVotes) { [leader] = whole, [other] = p.CandidateVotes[other] - (whole - p.CandidateVotes[leader]) };
                model.Apply(entry with { Payload = LedgerPayloads.Protocol(p with { CandidateVotes = votes }, version) });
                planted++;
            }
            else model.Apply(entry);
        }
        var report = model.Report("legislative", null, null);
        Assert.True(report.IntegerPercent!.LeaderShare!.PValue < 1e-6, $"p = {report.IntegerPercent.LeaderShare.PValue}");
        Assert.True(report.IntegerPercent.Turnout.PValue > 0.01);
    }

    [Fact]
    public void ACorrectionReplacesTheOldVersionInEveryStatistic()
    {
        var (model, election, _) = Build(Planting.None, stations: 400);
        var station = election.Election.Stations[0];
        var before = model.Report("legislative", null, null);
        var (first, _) = LedgerPayloads.ParseProtocol(election.Entries[0].Payload);

        // Version 2: stuffed to 99 % turnout, everything for the leader.
        var list = station.VotersOnList;
        var issued = (int)(list * 0.99);
        var leaderId = first.CandidateVotes.Keys.Single(k => k.EndsWith("-p-a", StringComparison.Ordinal));
        var corrected = first with
        {
            SubmissionId = "v2", VotersIssuedBallots = issued, BallotsInBoxes = issued, InvalidBallots = 0,
            UnusedBallots = first.BallotsReceived - issued - first.SpoiledBallots,
            CandidateVotes = first.CandidateVotes.ToDictionary(kv => kv.Key, kv => kv.Key == leaderId ? issued : 0),
            Supersedes = first.SubmissionId, Reason = "recount",
        };
        model.Apply(SyntheticElection.Entry(election.Entries[^1], station.Id, corrected, 2));
        var after = model.Report("legislative", null, null);

        Assert.Equal(before.StationsReported, after.StationsReported);
        Assert.Equal(before.Fingerprint!.Cells.Sum(c => c[2]), after.Fingerprint!.Cells.Sum(c => c[2]));
        Assert.Contains(after.Fingerprint.Cells, c => c[0] == ElectionForensics.Bin(issued, list, 100) && c[0] >= 95 && c[1] == 99 && c[2] == 1);
        var flag = Assert.Single(after.Flags, f => f.StationId == station.Id);
        // 100 % for the leader is also a whole percentage: integer-leader-share comes with them.
        Assert.Superset(new HashSet<string> { FlagCodes.TurnoutOver95, FlagCodes.LeaderOver90, FlagCodes.IntegerLeaderShare, FlagCodes.Corrected }, flag.Codes.ToHashSet());
        Assert.Equal(2, flag.Version);
        Assert.Equal(ElectionForensics.Bin(issued, list, 1000), after.Histograms!.Turnout.Select((n, i) => (n, i)).Where(x => x.n > 0).Max(x => x.i));
        // The old version's tallies left the last-digit counts: three of the new ones are 0, below 10, so not counted.
        Assert.Equal(before.LastDigit!.Tallies - first.CandidateVotes.Values.Count(v => v >= 10) + 1, after.LastDigit!.Tallies);
    }

    [Fact]
    public void AnInvalidatedStationLeavesTheStatisticsAndIsListed()
    {
        var (model, election, _) = Build(Planted, stations: 400);
        var stuffed = election.Stuffed.First();
        var before = model.Report("legislative", null, null);
        var last = election.Entries[^1];
        model.Apply(LedgerEntry.Create(last.Seq + 1, last.Hash, new LedgerAppend(LedgerKinds.Invalidation, stuffed,
            LedgerPayloads.Invalidation(new StationInvalidation("legislative", "dec-1", "ballot stuffing seen on video")), SyntheticElection.PollsClose.AddHours(5), null)));
        var after = model.Report("legislative", null, null);

        Assert.Equal(before.StationsReported - 1, after.StationsReported);
        Assert.Equal(before.Fingerprint!.Cells.Where(c => c[0] >= 95).Sum(c => c[2]) - 1, after.Fingerprint!.Cells.Where(c => c[0] >= 95).Sum(c => c[2]));
        Assert.Equal([stuffed], after.InvalidatedStations);
        var flag = Assert.Single(after.Flags, f => f.StationId == stuffed);
        Assert.Equal([FlagCodes.Invalidated], flag.Codes);
        Assert.Null(flag.Turnout);
        Assert.Equal(before.LastDigit!.Tallies - 3, after.LastDigit!.Tallies);
    }

    [Fact]
    public void BeforePollsCloseNothingDerivedFromAProtocolIsInTheReport()
    {
        var election = SyntheticElection.Generate(200, Seed, Planted);
        var catalog = SyntheticElection.Catalog(election.Election);
        var time = new FakeTimeProvider(SyntheticElection.PollsOpen.AddHours(4));
        var model = new ElectionForensics(catalog, ElectionClock.FromTimeProvider(catalog, time));
        // Protocols cannot arrive before close; even if the model held some, nothing of them would show.
        foreach (var entry in election.Entries) model.Apply(entry);
        var station = election.Election.Stations[0].Id;
        var seq = election.Entries[^1].Seq;
        model.Apply(Turnout(++seq, station, SyntheticElection.PollsOpen.AddHours(2), 100, 1000));
        model.Apply(Turnout(++seq, station, SyntheticElection.PollsOpen.AddHours(4), 500, 1000));

        var report = model.Report("legislative", null, null);
        Assert.False(report.ResultsPublic);
        Assert.Null(report.StationsReported);
        Assert.Null(report.LeadingParty);
        Assert.Null(report.Fingerprint);
        Assert.Null(report.IntegerPercent);
        Assert.Null(report.LastDigit);
        Assert.Null(report.Histograms);
        Assert.Null(report.InvalidatedStations);
        var flag = Assert.Single(report.Flags);
        Assert.Equal(station, flag.StationId);
        Assert.Equal([FlagCodes.TurnoutJump], flag.Codes);
        Assert.Null(flag.Turnout);
        Assert.Null(flag.LeaderShare);
        Assert.All(model.StationRows("legislative"), r => Assert.True(r.Turnout is null && r.LeaderShare is null && r.Codes.All(FlagCodes.BeforeClose)));

        time.SetUtcNow(SyntheticElection.PollsClose.AddMinutes(1));
        Assert.True(model.Report("legislative", null, null).ResultsPublic);
    }

    [Fact]
    public void TurnoutJumpIsMoreThanThirtyPointsBetweenConsecutiveReports()
    {
        var election = SyntheticElection.Generate(10, Seed, Planting.None);
        var catalog = SyntheticElection.Catalog(election.Election);
        var model = new ElectionForensics(catalog, ElectionClock.FromTimeProvider(catalog, new FakeTimeProvider(SyntheticElection.PollsOpen.AddHours(13))));
        var (a, b) = (election.Election.Stations[0].Id, election.Election.Stations[1].Id);
        var open = SyntheticElection.PollsOpen;
        long seq = 0;
        // a: 20 % -> 45 % -> 75 %: rises of 25 and 30 points, neither more than 30. b: a late 10:00 report between 12:00 and 14:00.
        model.Apply(Turnout(++seq, a, open.AddHours(2), 200, 1000));
        model.Apply(Turnout(++seq, a, open.AddHours(4), 450, 1000));
        model.Apply(Turnout(++seq, a, open.AddHours(6), 750, 1000));
        model.Apply(Turnout(++seq, b, open.AddHours(4), 100, 1000));
        model.Apply(Turnout(++seq, b, open.AddHours(6), 450, 1000));
        var codes = model.Report("legislative", null, null).Flags.ToDictionary(f => f.StationId, f => f.Codes);
        Assert.False(codes.ContainsKey(a));
        Assert.Equal([FlagCodes.TurnoutJump], codes[b]);
        model.Apply(Turnout(++seq, b, open.AddHours(5), 300, 1000)); // 10 -> 30 -> 45: no jump any more
        Assert.DoesNotContain(model.Report("legislative", null, null).Flags, f => f.StationId == b);
    }

    [Fact]
    public void VolunteerCountsClearlyBelowTheOfficialIncreaseFlagTheStationDuringVotingAndAfter()
    {
        var election = SyntheticElection.Generate(10, Seed, Planting.None);
        var catalog = SyntheticElection.Catalog(election.Election);
        var time = new FakeTimeProvider(SyntheticElection.PollsOpen.AddHours(5));
        var model = new ElectionForensics(catalog, ElectionClock.FromTimeProvider(catalog, time));
        var (honest, stuffed, halfCounted) = (election.Election.Stations[0].Id, election.Election.Stations[1].Id, election.Election.Stations[2].Id);
        var open = SyntheticElection.PollsOpen;
        static StationCounting Counted(string station, int counted, double coverage) => new(station, $"cam-{station}",
            [new WindowCount(0, SyntheticElection.PollsOpen, SyntheticElection.PollsOpen.AddHours(2), counted, coverage, 10, 12)]);
        // The counts arrive before the 10:00 report: nothing to judge against yet.
        Assert.True(model.SetCounting(Counted(honest, 290, 1.0)));
        Assert.True(model.SetCounting(Counted(stuffed, 150, 0.9)));      // 167 over the whole window, against 300
        Assert.True(model.SetCounting(Counted(halfCounted, 100, 0.5)));  // too little of the window counted to judge
        Assert.False(model.SetCounting(Counted(honest, 290, 1.0)));     // the same figures are no change
        Assert.DoesNotContain(model.Report("legislative", null, null).Flags, f => f.Codes.Contains(FlagCodes.VideoCountBelowOfficial));

        long seq = 0;
        foreach (var station in new[] { honest, stuffed, halfCounted }) model.Apply(Turnout(++seq, station, open.AddHours(2), 300, 2000));
        var flagged = model.Report("legislative", null, null).Flags.Where(f => f.Codes.Contains(FlagCodes.VideoCountBelowOfficial)).Select(f => f.StationId);
        Assert.Equal([stuffed], flagged);
        Assert.Equal([FlagCodes.VideoCountBelowOfficial], model.StationRows("legislative").Single(r => r.StationId == stuffed).Codes);
        Assert.Empty(model.StationRows("legislative").Single(r => r.StationId == honest).Codes);

        // Later counts that agree with the official figure clear it; after close the flag is still a turnout-day flag.
        Assert.True(model.SetCounting(Counted(stuffed, 280, 0.9)));
        Assert.DoesNotContain(model.Report("legislative", null, null).Flags, f => f.Codes.Contains(FlagCodes.VideoCountBelowOfficial));
        model.SetCounting(Counted(stuffed, 150, 0.9));
        time.SetUtcNow(SyntheticElection.PollsClose.AddHours(1));
        Assert.Contains(model.Report("legislative", null, null).Flags, f => f.StationId == stuffed && f.Codes.Contains(FlagCodes.VideoCountBelowOfficial));
    }

    [Theory]
    [InlineData(11, true)]
    [InlineData(9, false)]
    public void ACameraStoppedForMoreThanTenMinutesWhileVotingFlagsItsStation(int minutes, bool flagged)
    {
        var election = SyntheticElection.Generate(10, Seed, Planting.None);
        var catalog = SyntheticElection.Catalog(election.Election);
        var model = new ElectionForensics(catalog, ElectionClock.FromTimeProvider(catalog, new FakeTimeProvider(SyntheticElection.PollsClose.AddHours(1))));
        var station = election.Election.Stations[3];
        var camera = station.Cameras[0].Id;
        var at = SyntheticElection.PollsOpen.AddHours(5);
        // The public record of the camera: its camera-state ledger entries (gateway time = election time on this clock).
        model.Apply(CameraEntry(1, station.Id, new CameraStateRecord(camera, CameraState.Live, null, SyntheticElection.PollsOpen.AddMinutes(-39), CameraStateReasons.SegmentsArrive)));
        model.Apply(CameraEntry(2, station.Id, new CameraStateRecord(camera, CameraState.Offline, CameraState.Live, at, CameraStateReasons.NoSegment)));
        Assert.Contains(model.Report("legislative", null, null).Flags, f => f.StationId == station.Id && f.Codes.Contains(FlagCodes.CameraOffline)); // still offline now
        model.Apply(CameraEntry(3, station.Id, new CameraStateRecord(camera, CameraState.Live, CameraState.Offline, at.AddMinutes(minutes), CameraStateReasons.SegmentsArrive)));

        var report = model.Report("legislative", null, null);
        Assert.Equal(flagged, report.Flags.Any(f => f.StationId == station.Id && f.Codes.Contains(FlagCodes.CameraOffline)));
        var outage = Assert.Single(model.OutagesOf(station.Id));
        Assert.Equal((at, at.AddMinutes(minutes)), (outage.From, outage.To));
    }

    [Fact]
    public void OutagesCountOnlyWhilePollsAreOpenAndFromTheFirstReport()
    {
        var open = SyntheticElection.PollsOpen;
        var close = SyntheticElection.PollsClose;
        List<CameraStateChange> history =
        [
            new(CameraState.Starting, open.AddMinutes(-30), null),   // down from 07:30 until 08:05: counted from 08:00
            new(CameraState.Live, open.AddMinutes(5), null),
            new(CameraState.Stalled, open.AddHours(3), null),        // stalled then frozen: one outage until live
            new(CameraState.Frozen, open.AddHours(3).AddMinutes(4), null),
            new(CameraState.Live, open.AddHours(3).AddMinutes(20), null),
            new(CameraState.Black, close.AddMinutes(-5), null),      // still black at close: counted to 20:00
        ];
        var outages = FlagRules.Outages("c", history, open, close);
        Assert.Equal([(open, open.AddMinutes(5)), (open.AddHours(3), open.AddHours(3).AddMinutes(20)), (close.AddMinutes(-5), close)],
            outages.Select(o => (o.From, o.To)));
        Assert.True(FlagRules.CameraOfflineWhileVoting(outages));
        Assert.Empty(FlagRules.Outages("c", [], open, close));
    }

    [Fact]
    public void SelectionsByRegionAndConstituencyCountOnlyTheirStations()
    {
        var (model, election, _) = Build(Planted, stations: 600);
        var national = model.Report("legislative", null, null);
        var r1 = model.Report("legislative", "r1", null);
        var r2 = model.Report("legislative", "r2", null);
        var k3 = model.Report("legislative", null, "3");
        Assert.Equal(national.StationsTotal, r1.StationsTotal + r2.StationsTotal);
        Assert.Equal(national.LastDigit!.Tallies, r1.LastDigit!.Tallies + r2.LastDigit!.Tallies);
        Assert.Equal(election.Election.Stations.Count(s => s.Constituencies["legislative"] == "3"), k3.StationsTotal);
        Assert.All(k3.Flags, f => Assert.Equal("3", f.ConstituencyId));
        Assert.Equal(national.Flags.Count(f => f.ConstituencyId == "3" && f.Codes.Contains(FlagCodes.TurnoutOver95)),
            k3.Flags.Count(f => f.Codes.Contains(FlagCodes.TurnoutOver95)));
    }

    private static LedgerEntry CameraEntry(long seq, string stationId, CameraStateRecord record) =>
        LedgerEntry.Create(seq, LedgerHash.Genesis, new LedgerAppend(LedgerKinds.CameraState, stationId, CameraStatePayload.Write(record), record.At, null));

    private static LedgerEntry Turnout(long seq, string stationId, DateTimeOffset asOf, int issued, int list) =>
        LedgerEntry.Create(seq, LedgerHash.Genesis, new LedgerAppend(LedgerKinds.Turnout, stationId,
            LedgerPayloads.Turnout(new TurnoutSubmission($"t-{seq}", asOf, issued, list), 1), asOf, null));
}
