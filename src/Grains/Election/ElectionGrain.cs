using Portal.Grains.Abstractions;
using Portal.Grains.Ledger;
using Portal.Grains.Live;
using Portal.Grains.Model;
using Portal.Grains.Results;

namespace Portal.Grains.Election;

/// <summary>
/// National and regional figures. Constituencies push their totals (replacing the previous ones), stations push their
/// newest turnout; both are rebuilt at activation (constituency totals pulled, turnout replayed from the ledger).
/// </summary>
public sealed class ElectionGrain(ElectionCatalog catalog, ElectionClock clock, ILedgerStore ledger) : Grain, IElectionGrain
{
    private const int ReplayPage = 5000;
    private static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(250);
    private readonly Dictionary<(string Contest, string Constituency), ConstituencyTotals> _constituencies = [];
    private readonly Dictionary<string, StationTurnout> _turnout = new(StringComparer.Ordinal);
    private ElectionSummary? _summary;
    private Dictionary<string, int>? _stationsPerContest;
    private bool _dirty = true;
    // Recomputed only after a turnout change: while protocols stream in, the publish timer would otherwise walk every
    // station four times a second for figures that do not move.
    private (TurnoutFigure National, Dictionary<string, TurnoutFigure> ByRegion)? _turnoutFigures;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (this.GetPrimaryKeyString() != catalog.Election.Id) throw new KeyNotFoundException($"unknown election \"{this.GetPrimaryKeyString()}\"");
        var id = catalog.Election.Id;
        var pulls = catalog.Election.Contests.SelectMany(c => c.Constituencies.Select(k =>
            GrainFactory.GetGrain<IConstituencyGrain>(GrainKeys.Constituency(id, c.Id, k.Id)).GetTotalsAsync())).ToList();
        foreach (var totals in await Task.WhenAll(pulls)) _constituencies[(totals.ContestId, totals.ConstituencyId)] = totals;

        long after = 0;
        while (true)
        {
            var page = await ledger.ReadAsync(after, ReplayPage, cancellationToken);
            if (page.Count == 0) break;
            foreach (var entry in page.Where(e => e.Kind == LedgerKinds.Turnout))
            {
                var (t, _) = LedgerPayloads.ParseTurnout(entry.Payload);
                var station = catalog.FindStation(entry.StationId);
                // The station grain's rule: a report accepted before the plausibility rules is never the published figure.
                if (station is null || !PlausibilityRules.IsPublishable(t.AsOf, t.VotersIssuedBallots, t.VotersOnList, station, catalog.Election, clock.Now)) continue;
                Keep(new StationTurnout(station.Id, station.RegionId, t.AsOf, t.VotersIssuedBallots, t.VotersOnList ?? station.VotersOnList, entry.Seq));
            }
            after = page[^1].Seq;
        }
        this.RegisterGrainTimer(PublishAsync, new GrainTimerCreationOptions(PublishInterval, PublishInterval));
    }

    public Task<ElectionSummary> GetSummaryAsync()
    {
        var election = catalog.Election;
        _summary ??= new ElectionSummary(
            election.Id, election.Name, election.TimeZone, election.PollsOpen, election.PollsClose,
            [.. election.Contests.Select(c => new ContestSummary(c.Id, c.Kind, c.Name, c.Constituencies.Count))],
            [.. election.Regions.Select(r => new RegionSummary(
                r.Id, r.Name, catalog.StationCountByRegion.GetValueOrDefault(r.Id),
                catalog.Stations.Where(s => s.RegionId == r.Id).Sum(s => (long)s.VotersOnList)))],
            election.Stations.Count,
            election.Stations.Sum(s => (long)s.VotersOnList),
            RuntimeIdentity);
        return Task.FromResult(_summary);
    }

    public Task<ElectionResults> GetResultsAsync()
    {
        var open = clock.ResultsArePublic;
        var contests = open ? ContestTotals() : [];
        var status = !clock.PollsOpen ? "scheduled" : !clock.PollsClosed ? "voting"
            : contests.Count > 0 && contests.All(c => c.StationsReported + c.StationsInvalidated >= c.StationsTotal) ? "reported" : "counting";
        var (national, byRegion) = TurnoutFigures();
        var regions = catalog.Election.Regions.Select(r => new RegionTurnout(r.Id, byRegion.GetValueOrDefault(r.Id) ?? new TurnoutFigure(0, 0, 0, 0, 0))).ToList();
        return Task.FromResult(new ElectionResults(catalog.Election.Id, status, clock.Now, open, national, regions, contests));
    }

    public Task<IReadOnlyList<ContestResults>> GetContestTotalsAsync() => Task.FromResult<IReadOnlyList<ContestResults>>(ContestTotals());

    public Task ReportConstituencyAsync(ConstituencyTotals totals)
    {
        _constituencies[(totals.ContestId, totals.ConstituencyId)] = totals;
        _dirty = true;
        return Task.CompletedTask;
    }

    public Task ReportTurnoutAsync(StationTurnout turnout)
    {
        if (Keep(turnout)) _dirty = true;
        return Task.CompletedTask;
    }

    private bool Keep(StationTurnout turnout)
    {
        if (_turnout.TryGetValue(turnout.StationId, out var held) &&
            (held.AsOf > turnout.AsOf || (held.AsOf == turnout.AsOf && held.LedgerSeq >= turnout.LedgerSeq))) return false;
        _turnout[turnout.StationId] = turnout;
        _turnoutFigures = null;
        return true;
    }

    /// <summary>National and per-region turnout in one pass over the stations (100,000 of them in a national election).</summary>
    private (TurnoutFigure National, Dictionary<string, TurnoutFigure> ByRegion) TurnoutFigures() => _turnoutFigures ??= ComputeTurnoutFigures();

    private (TurnoutFigure National, Dictionary<string, TurnoutFigure> ByRegion) ComputeTurnoutFigures()
    {
        var sums = new Dictionary<string, (long Issued, long List, int Reporting, int Total)>(StringComparer.Ordinal);
        foreach (var station in catalog.Stations)
        {
            var (issued, list, reporting, total) = sums.GetValueOrDefault(station.RegionId);
            if (_turnout.TryGetValue(station.Id, out var t)) { issued += t.VotersIssuedBallots; list += t.VotersOnList; reporting++; }
            else list += station.VotersOnList;
            sums[station.RegionId] = (issued, list, reporting, total + 1);
        }
        static TurnoutFigure Figure((long Issued, long List, int Reporting, int Total) s) =>
            new(s.Issued, s.List, s.List == 0 ? 0 : Math.Round(100.0 * s.Issued / s.List, 2), s.Reporting, s.Total);
        var national = sums.Values.Aggregate((0L, 0L, 0, 0), (a, s) => (a.Item1 + s.Issued, a.Item2 + s.List, a.Item3 + s.Reporting, a.Item4 + s.Total));
        return (Figure(national), sums.ToDictionary(kv => kv.Key, kv => Figure(kv.Value), StringComparer.Ordinal));
    }

    private List<ContestResults> ContestTotals() =>
        [.. catalog.Election.Contests.Select(contest =>
        {
            var rows = _constituencies.Values.Where(t => t.ContestId == contest.Id).ToList();
            var regions = rows.GroupBy(t => t.RegionId).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new RegionTally(g.Key, Tally.Sum(g.Select(t => t.Tally)), g.Sum(t => t.StationsReported))).ToList();
            var outcomes = Enum.GetValues<OutcomeKind>().ToDictionary(k => k.ToString(), k => rows.Count(t => t.Outcome.Kind == k));
            return new ContestResults(contest.Id, contest.Constituencies.Count,
                StationsIn(contest.Id),
                rows.Sum(t => t.StationsReported), rows.Sum(t => t.StationsInvalidated),
                Tally.Sum(rows.Select(t => t.Tally)), outcomes, regions);
        })];

    private int StationsIn(string contestId)
    {
        _stationsPerContest ??= catalog.Election.Contests.ToDictionary(c => c.Id, c => catalog.Stations.Count(s => s.Constituencies.ContainsKey(c.Id)));
        return _stationsPerContest[contestId];
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        if (!_dirty) return;
        _dirty = false;
        var results = await GetResultsAsync();
        var notifier = GrainFactory.GetGrain<ILiveFeedNotifierGrain>(0);
        var topic = LiveTopics.Election(catalog.Election.Id);
        notifier.PublishAsync(LiveJson.Message(topic, LiveTopics.Turnout, new { results.ElectionId, results.ElectionTime, results.Turnout, results.RegionTurnout })).Ignore();
        if (results.ResultsPublic) notifier.PublishAsync(LiveJson.Message(topic, LiveTopics.Results, results)).Ignore();
    }
}
