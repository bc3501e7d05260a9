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
    private readonly Dictionary<string, StationResult> _stations = new(StringComparer.Ordinal);
    private ConstituencyInfo _info = null!;
    private ConstituencyTotals? _totals;
    private long _revision;
    private long _pushedRevision = -1;
    private IGrainTimer? _pushTimer;

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
            if (state.ResultFor(contestId) is { } result) _stations[state.StationId] = result;
        _revision = _stations.Count > 0 ? 1 : 0;
        if (_revision > 0) SchedulePush();
    }

    public Task<ConstituencyInfo> GetInfoAsync() => Task.FromResult(_info);

    public Task<ConstituencyTotals> GetTotalsAsync() => Task.FromResult(Totals());

    public Task<ConstituencyResults> GetResultsAsync()
    {
        var totals = Totals();
        var open = clock.ResultsArePublic;
        var rows = _info.StationIds.Select(id => _stations.TryGetValue(id, out var r)
                ? new ConstituencyStationRow(id, r.Invalidated ? "invalidated" : r.Protocol is null ? "missing" : "reported",
                    r.Protocol is null ? null : r.Version, r.LedgerSeq, r.EntryHash,
                    open && r.Protocol is not null ? Tally.Of(r.Protocol) : null, r.DecisionId)
                : new ConstituencyStationRow(id, "missing", null, null, null, null, null))
            .ToList();
        return Task.FromResult(new ConstituencyResults(_info, open, totals.StationsTotal, totals.StationsReported, totals.StationsInvalidated,
            open ? totals.Tally : null, open ? totals.Outcome : null, rows));
    }

    public Task ApplyStationResultAsync(StationResult result)
    {
        if (_stations.TryGetValue(result.StationId, out var held) && held.LedgerSeq >= result.LedgerSeq) return Task.CompletedTask;
        _stations[result.StationId] = result;
        _revision++;
        _totals = null;
        SchedulePush();
        return Task.CompletedTask;
    }

    private ConstituencyTotals Totals()
    {
        if (_totals is not null) return _totals;
        var counted = _stations.Values.Where(r => !r.Invalidated && r.Protocol is not null).ToList();
        var invalidated = _stations.Values.Count(r => r.Invalidated);
        var tally = Tally.Sum(counted.Select(r => Tally.Of(r.Protocol!)));
        // Every candidate appears, with zero if no station reported yet.
        var votes = _info.Candidates.ToDictionary(c => c.Id, c => tally.CandidateVotes.GetValueOrDefault(c.Id), StringComparer.Ordinal);
        tally = tally with { CandidateVotes = votes };
        // Invalidated stations are excluded from the totals and from the stations a decision waits for.
        var total = _info.StationIds.Count - invalidated;
        var outcome = OutcomeRules.Decide(tally, counted.Count, total);
        return _totals = new ConstituencyTotals(_info.ContestId, _info.Id, _info.RegionId, _info.StationIds.Count, counted.Count, invalidated,
            tally, outcome, _revision);
    }

    // A one-shot timer per burst of changes, not a periodic one: thousands of idle constituencies cost nothing.
    private void SchedulePush() =>
        _pushTimer ??= this.RegisterGrainTimer(PushAsync, new GrainTimerCreationOptions(PushInterval, Timeout.InfiniteTimeSpan));

    private async Task PushAsync(CancellationToken cancellationToken)
    {
        _pushTimer?.Dispose();
        _pushTimer = null;
        if (_pushedRevision == _revision) return;
        var totals = Totals();
        try
        {
            await GrainFactory.GetGrain<IElectionGrain>(_info.ElectionId).ReportConstituencyAsync(totals);
        }
        catch
        {
            SchedulePush(); // try again; the election grain only ever takes the newest totals
            throw;
        }
        _pushedRevision = totals.Revision;
        if (clock.ResultsArePublic)
        {
            var results = await GetResultsAsync();
            GrainFactory.GetGrain<ILiveFeedNotifierGrain>(0)
                .PublishAsync(LiveJson.Message(LiveTopics.Constituency(_info.ElectionId, _info.ContestId, _info.Id), LiveTopics.Results, results)).Ignore();
        }
    }
}
