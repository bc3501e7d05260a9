using System.Text.Json;
using Portal.Grains.Abstractions;
using Portal.Grains.Ledger;
using Portal.Grains.Live;
using Portal.Grains.Model;
using Portal.Grains.Results;

namespace Portal.Grains.Election;

/// <summary>
/// Keeps each station's latest state (by ledger sequence), so repeated or reordered messages never double-count.
/// Rebuilt from the ledger at activation; pushes its totals to the election grain on a short timer when changed.
/// </summary>
public sealed class ConstituencyGrain(ElectionCatalog catalog, ElectionClock clock, ILedgerStore ledger) : Grain, IConstituencyGrain
{
    private static readonly TimeSpan PushInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PublishInterval = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, StationResult> _stations = new(StringComparer.Ordinal);
    private readonly RunningTally _running = new();
    // Each station row's live JSON, dropped when the station's result changes (and all of them when the embargo lifts).
    private Dictionary<string, string> _rowJson = new(StringComparer.Ordinal);
    private bool _rowJsonOpen;
    private ConstituencyInfo _info = null!;
    private ConstituencyTotals? _totals;
    private long _revision;
    private long _pushedRevision = -1;
    private long _publishedRevision = -1;
    private long? _publishedAt;
    private IGrainTimer? _pushTimer;
    private IGrainTimer? _publishTimer;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (electionId, contestId, constituencyId) = GrainKeys.ParseConstituency(this.GetPrimaryKeyString());
        var definition = electionId == catalog.Election.Id ? catalog.FindConstituency(contestId, constituencyId) : null;
        if (definition is null) throw new KeyNotFoundException($"unknown constituency \"{this.GetPrimaryKeyString()}\"");
        var stations = catalog.StationsOf(contestId, constituencyId);
        _info = new ConstituencyInfo(
            electionId, contestId, constituencyId, definition.RegionId, definition.Name,
            [.. definition.Candidates.Select(c => new CandidateInfo(c.Id, c.Name, c.NameForms ?? [], c.Party))],
            stations, stations.Sum(id => (long)catalog.FindStation(id)!.VotersOnList));

        var states = new Dictionary<string, StationLedgerState>(StringComparer.Ordinal);
        foreach (var entry in await ledger.ReadStationsAsync(stations, cancellationToken))
        {
            if (!states.TryGetValue(entry.StationId, out var state)) states[entry.StationId] = state = new StationLedgerState(entry.StationId);
            state.Apply(entry);
        }
        foreach (var state in states.Values)
            if (state.ResultFor(contestId) is { } result)
            {
                _stations[state.StationId] = result;
                _running.Add(result, +1);
            }
        _revision = _stations.Count > 0 ? 1 : 0;
        if (_revision > 0) SchedulePush();
    }

    public Task<ConstituencyInfo> GetInfoAsync() => Task.FromResult(_info);

    public Task<ConstituencyTotals> GetTotalsAsync() => Task.FromResult(Totals());

    public Task<ConstituencyResults> GetResultsAsync()
    {
        var totals = Totals();
        var open = clock.ResultsArePublic;
        var rows = _info.StationIds.Select(id => Row(id, open)).ToList();
        return Task.FromResult(Results(totals, open, rows));
    }

    private ConstituencyResults Results(ConstituencyTotals totals, bool open, IReadOnlyList<ConstituencyStationRow> rows) =>
        new(_info, open, totals.StationsTotal, totals.StationsReported, totals.StationsInvalidated,
            open ? totals.Tally : null, open ? totals.Outcome : null, rows);

    private ConstituencyStationRow Row(string id, bool open) => _stations.TryGetValue(id, out var r)
        ? new ConstituencyStationRow(id, r.Invalidated ? "invalidated" : r.Protocol is null ? "missing" : "reported",
            r.Protocol is null ? null : r.Version, r.LedgerSeq, r.EntryHash,
            open && r.Protocol is not null ? Tally.Of(r.Protocol) : null, r.DecisionId)
        : new ConstituencyStationRow(id, "missing", null, null, null, null, null);

    /// <summary>The live results message's JSON, re-serialising only the station rows that changed since the last one.</summary>
    private string ResultsJson()
    {
        var open = clock.ResultsArePublic;
        if (open != _rowJsonOpen) (_rowJsonOpen, _rowJson) = (open, new Dictionary<string, string>(StringComparer.Ordinal));
        var rows = new string[_info.StationIds.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var id = _info.StationIds[i];
            if (!_rowJson.TryGetValue(id, out var json)) _rowJson[id] = json = JsonSerializer.Serialize(Row(id, open), LiveJson.Options);
            rows[i] = json;
        }
        return LiveJson.ConstituencyResults(Results(Totals(), open, []), rows);
    }

    public Task ApplyStationResultAsync(StationResult result)
    {
        if (_stations.TryGetValue(result.StationId, out var held))
        {
            if (held.LedgerSeq >= result.LedgerSeq) return Task.CompletedTask;
            _running.Add(held, -1);
        }
        _stations[result.StationId] = result;
        _running.Add(result, +1);
        _rowJson.Remove(result.StationId);
        _revision++;
        _totals = null;
        SchedulePush();
        return Task.CompletedTask;
    }

    private ConstituencyTotals Totals()
    {
        if (_totals is not null) return _totals;
        // Every candidate appears, with zero if no station reported yet.
        var votes = _info.Candidates.ToDictionary(c => c.Id, c => _running.Votes.GetValueOrDefault(c.Id), StringComparer.Ordinal);
        var r = _running;
        var tally = new Tally(r.VotersOnList, r.BallotsReceived, r.VotersIssuedBallots, r.BallotsInBoxes, r.InvalidBallots, r.SpoiledBallots, r.UnusedBallots, votes);
        // Invalidated stations are excluded from the totals and from the stations a decision waits for.
        var total = _info.StationIds.Count - r.Invalidated;
        var outcome = OutcomeRules.Decide(tally, r.Counted, total);
        return _totals = new ConstituencyTotals(_info.ContestId, _info.Id, _info.RegionId, _info.StationIds.Count, r.Counted, r.Invalidated,
            tally, outcome, _revision);
    }

    // One-shot timers per burst of changes, not periodic ones: thousands of idle constituencies cost nothing.
    // The election grain gets the totals within PushInterval of a change (the national figures stay fresh); the live
    // feed gets the full results (every station row, serialised) at most once per PublishInterval, which at intake
    // rates of thousands of protocols a second would otherwise cost more CPU than the intake itself.
    private void SchedulePush()
    {
        _pushTimer ??= this.RegisterGrainTimer(PushAsync, new GrainTimerCreationOptions(PushInterval, Timeout.InfiniteTimeSpan));
        if (_publishTimer is null && clock.ResultsArePublic)
        {
            var wait = _publishedAt is { } at ? PublishInterval - TimeSpan.FromMilliseconds(Environment.TickCount64 - at) : TimeSpan.Zero;
            _publishTimer = this.RegisterGrainTimer(PublishAsync, new GrainTimerCreationOptions(wait > PushInterval ? wait : PushInterval, Timeout.InfiniteTimeSpan));
        }
    }

    private async Task PushAsync(CancellationToken cancellationToken)
    {
        _pushTimer?.Dispose();
        _pushTimer = null;
        if (_pushedRevision == _revision) return;
        var totals = Totals();
        try
        {
            await GrainReferences.Get<IElectionGrain>(GrainFactory, _info.ElectionId).ReportConstituencyAsync(totals);
        }
        catch
        {
            SchedulePush(); // try again; the election grain only ever takes the newest totals
            throw;
        }
        _pushedRevision = totals.Revision;
    }

    private Task PublishAsync(CancellationToken cancellationToken)
    {
        _publishTimer?.Dispose();
        _publishTimer = null;
        if (_publishedRevision == _revision || !clock.ResultsArePublic) return Task.CompletedTask;
        _publishedRevision = _revision;
        _publishedAt = Environment.TickCount64;
        GrainReferences.Get<ILiveFeedNotifierGrain>(GrainFactory, 0).PublishAsync(new LiveMessage(
            LiveTopics.Constituency(_info.ElectionId, _info.ContestId, _info.Id), LiveTopics.Results, ResultsJson(), DateTimeOffset.UtcNow)).Ignore();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The sums over the stations held, kept up to date as each station's result is replaced (old one out, new one in),
    /// so a change costs one protocol's worth of additions instead of a pass over every station. Integers: exact.
    /// </summary>
    private sealed class RunningTally
    {
        public long VotersOnList, BallotsReceived, VotersIssuedBallots, BallotsInBoxes, InvalidBallots, SpoiledBallots, UnusedBallots;
        public int Counted, Invalidated;
        public readonly Dictionary<string, long> Votes = new(StringComparer.Ordinal);

        public void Add(StationResult result, int sign)
        {
            if (result.Invalidated) { Invalidated += sign; return; }
            if (result.Protocol is not { } p) return;
            Counted += sign;
            VotersOnList += sign * (long)p.VotersOnList;
            BallotsReceived += sign * (long)p.BallotsReceived;
            VotersIssuedBallots += sign * (long)p.VotersIssuedBallots;
            BallotsInBoxes += sign * (long)p.BallotsInBoxes;
            InvalidBallots += sign * (long)p.InvalidBallots;
            SpoiledBallots += sign * (long)p.SpoiledBallots;
            UnusedBallots += sign * (long)p.UnusedBallots;
            foreach (var (id, v) in p.CandidateVotes) Votes[id] = Votes.GetValueOrDefault(id) + sign * (long)v;
        }
    }
}
