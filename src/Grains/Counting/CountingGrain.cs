using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Portal.Grains.Abstractions;
using Portal.Grains.Demo;
using Portal.Grains.Live;
using Portal.Grains.Model;

namespace Portal.Grains.Counting;

/// <summary>
/// One election's volunteer counting: hands out clips, keeps every count durably, weighs volunteers by their known-answer
/// record and derives the published figures (docs/counting.md). Weights are applied when figures are read, so a
/// volunteer found wrong later stops counting everywhere at once.
/// </summary>
public sealed partial class CountingGrain(
    CountingPlan plan, ElectionCatalog catalog,
    [PersistentState("counting", GrainStorageNames.Durable)] IPersistentState<CountingState> state,
    ILogger<CountingGrain> logger) : Grain, ICountingGrain
{
    private readonly Dictionary<string, HashSet<string>> _countedBy = new(StringComparer.Ordinal);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var (clipId, counts) in state.State.Counts)
            foreach (var c in counts) Counted(c.Volunteer).Add(clipId);
        return Task.CompletedTask;
    }

    public Task<CountTask?> NextTaskAsync(string volunteer)
    {
        var counted = _countedBy.GetValueOrDefault(volunteer) ?? [];
        var available = plan.Plan.Clips.Where(c => !counted.Contains(c.Id) && plan.IsArchived(c)).ToList();
        var record = state.State.Volunteers.GetValueOrDefault(volunteer);
        // A newcomer's first clip is a known answer: a volunteer who lies is weighed before any count of theirs is used.
        var wantKnown = record is null || record.Tried == 0 || Random.Shared.NextDouble() * 100 < plan.Options.KnownAnswerPercent;
        CountClip? pick = null;
        if (wantKnown) pick = available.Where(c => KnownAnswer(c) is not null).MinBy(c => Spread(volunteer, c));
        pick ??= available.Where(c => KnownAnswer(c) is null)
            .Select(c => (Clip: c, Outcome: Outcome(c)))
            .Where(x => x.Outcome.Status != ClipStatus.Settled)
            // Finish clips that have counts first, so figures get published; spread volunteers over the rest.
            .OrderByDescending(x => x.Outcome.Counts).ThenBy(x => Spread(volunteer, x.Clip))
            .Select(x => x.Clip).FirstOrDefault();
        pick ??= available.Where(c => KnownAnswer(c) is not null).MinBy(c => Spread(volunteer, c));
        return Task.FromResult(pick is null ? null : new CountTask(pick, catalog.FindStation(pick.StationId)!.Number));
    }

    public async Task<CountSubmitResult> SubmitAsync(string volunteer, string clipId, int count, int presses)
    {
        var clip = plan.Plan.Find(clipId);
        if (clip is null) return new(CountSubmitOutcome.UnknownClip, null);
        if (!plan.IsArchived(clip)) return new(CountSubmitOutcome.NotArchivedYet, null);
        if (Counted(volunteer).Contains(clipId)) return new(CountSubmitOutcome.AlreadyCounted, Result(clip));

        if (KnownAnswer(clip) is { } answer)
        {
            var record = state.State.Volunteers.TryGetValue(volunteer, out var r) ? r : state.State.Volunteers[volunteer] = new KnownAnswerRecord();
            record.Tried++;
            if (ClipAgreement.IsRight(count, answer)) record.Right++;
        }
        if (!state.State.Counts.TryGetValue(clipId, out var counts)) state.State.Counts[clipId] = counts = [];
        counts.Add(new VolunteerCount { Volunteer = volunteer, Count = count, Presses = presses, At = DateTimeOffset.UtcNow });
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Nothing half-stored: reload what storage holds.
            await state.ReadStateAsync();
            _countedBy.Clear();
            await OnActivateAsync(default);
            throw;
        }
        Counted(volunteer).Add(clipId);
        LogCounted(clipId, counts.Count);
        var station = await GetStationAsync(clip.StationId);
        GrainFactory.GetGrain<ILiveFeedNotifierGrain>(0).PublishAsync(
            LiveJson.Message(LiveTopics.Station(catalog.Election.Id, clip.StationId), LiveTopics.Counting, station)).Ignore();
        return new(CountSubmitOutcome.Accepted, Result(clip));
    }

    public async Task<bool> SetKnownAnswerAsync(string clipId, int? count)
    {
        if (plan.Plan.Find(clipId) is null) return false;
        if (count is { } c) state.State.KnownAnswers[clipId] = c;
        else state.State.KnownAnswers.Remove(clipId);
        await state.WriteStateAsync();
        return true;
    }

    public Task<StationCounting?> GetStationAsync(string stationId)
    {
        var station = catalog.FindStation(stationId);
        var camera = station?.Cameras.FirstOrDefault(c => c.Enabled && c.SeesBallotBox);
        if (station is null || camera is null) return Task.FromResult<StationCounting?>(null);
        var clips = plan.Plan.ClipsOf(camera.Id);
        var windows = plan.Plan.Windows.Select(w =>
        {
            var inWindow = clips.Where(c => c.Window == w.Index).Select(Result).ToList();
            var published = inWindow.Where(r => r.Published is not null).ToList();
            var covered = published.Sum(r => r.Clip.Length.Ticks);
            return new WindowCount(w.Index, w.Start, w.End, published.Sum(r => r.Published!.Value),
                (double)covered / (w.End - w.Start).Ticks, published.Count, inWindow.Count);
        }).ToList();
        return Task.FromResult<StationCounting?>(new StationCounting(stationId, camera.Id, windows));
    }

    public async Task<IReadOnlyList<StationCounting>> GetCountedStationsAsync()
    {
        // The demo's own known-answer clips (a tenth by default) alone never cover 80 % of a window, so they are left out.
        var stations = state.State.Counts.Keys.Concat(state.State.KnownAnswers.Keys)
            .Select(id => plan.Plan.Find(id)?.StationId).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var result = new List<StationCounting>();
        foreach (var stationId in stations)
            if (await GetStationAsync(stationId) is { } counting) result.Add(counting);
        return result;
    }

    public Task<CountingSummary> GetSummaryAsync()
    {
        var results = plan.Plan.Clips.Select(Result).ToList();
        CountingCoverage Coverage(string? region, IEnumerable<ClipResult> rs)
        {
            var list = rs.ToList();
            return new(region, list.Select(r => r.Clip.CameraId).Distinct().Count(), list.Count, list.Count(r => r.Published is not null), list.Sum(r => r.Counts));
        }
        var regions = results.GroupBy(r => catalog.FindStation(r.Clip.StationId)!.RegionId)
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Coverage(g.Key, g)).ToList();
        var volunteers = state.State.Counts.Values.SelectMany(c => c).Select(c => c.Volunteer).Distinct().ToList();
        return Task.FromResult(new CountingSummary(Coverage(null, results), regions, volunteers.Count, volunteers.Count(v => Weight(v) == 0)));
    }

    public Task<IReadOnlyList<ClipResult>> GetClipsAsync() => Task.FromResult<IReadOnlyList<ClipResult>>([.. plan.Plan.Clips.Select(Result)]);

    private ClipResult Result(CountClip clip)
    {
        // A known answer is published once its clip is in the archive, like any counted clip.
        if (KnownAnswer(clip) is { } answer && plan.IsArchived(clip))
            return new ClipResult(clip, ClipStatus.Settled, state.State.Counts.GetValueOrDefault(clip.Id)?.Count ?? 0, answer, 0, KnownAnswer: true);
        var outcome = Outcome(clip);
        return new ClipResult(clip, outcome.Status, outcome.Counts, outcome.Published, outcome.Spread, KnownAnswer: false);
    }

    private ClipOutcome Outcome(CountClip clip) =>
        ClipAgreement.Evaluate([.. (state.State.Counts.GetValueOrDefault(clip.Id) ?? []).Select(c => new WeightedCount(c.Count, Weight(c.Volunteer)))],
            plan.Options.MinCounts, plan.Options.MaxCounts);

    private double Weight(string volunteer) =>
        state.State.Volunteers.TryGetValue(volunteer, out var r) ? ClipAgreement.Weight(r.Tried, r.Right) : ClipAgreement.Weight(0, 0);

    /// <summary>An ops counter's answer, else the demo scene's for the demo's share of known-answer clips.</summary>
    private int? KnownAnswer(CountClip clip) =>
        state.State.KnownAnswers.TryGetValue(clip.Id, out var set) ? set : plan.IsDemoKnownAnswer(clip) ? plan.DemoTruth(clip) : null;

    private HashSet<string> Counted(string volunteer) =>
        _countedBy.TryGetValue(volunteer, out var set) ? set : _countedBy[volunteer] = new(StringComparer.Ordinal);

    private static int Spread(string volunteer, CountClip clip) => DemoTurnout.Stable(volunteer + "/" + clip.Id, 17);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Clip {ClipId} counted ({Counts} counts)")]
    private partial void LogCounted(string clipId, int counts);
}
