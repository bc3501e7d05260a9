using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Components.Pages.Regions;
using Portal.Components.Shared;
using Portal.Grains.Abstractions;
using Portal.Grains.Live;
using Portal.Grains.Model;
using Portal.Localization;

namespace Portal.Live;

/// <summary>
/// The <c>area</c> messages (api.md section 4 "Live hub"): for a region topic and a constituency topic, what the page's live
/// sections show (the turnout curve, each station's row, each constituency's row), computed the way the page computes them
/// (<see cref="TurnoutHistory"/>, <see cref="Region.Row"/>, the constituency grains), so a page patched from the message reads
/// as a fresh render does. Nothing here is a delta: each message is the area's whole newest state. Built only for areas
/// somebody on this host watches, when a station or constituency message touched them, at most once a second, and once more
/// after the history's refresh interval (the ledger read behind the curve lags the grains by up to that long).
/// </summary>
public sealed partial class LiveAreaFeed(
    LiveFeedObserver observer, IGrainFactory grains, ElectionCatalog catalog, ElectionClock clock, TurnoutHistory history,
    ILogger<LiveAreaFeed> logger)
    : BackgroundService
{
    public const string AreaType = "area";
    public const string RegionTopicPrefix = "region:";

    public static string RegionTopic(string electionId, string regionId) => $"{RegionTopicPrefix}{electionId}:{regionId}";

    private static readonly TimeSpan Period = TimeSpan.FromSeconds(1);
    private readonly Lock _lock = new();
    private readonly TopicWatchers _watchers = new();
    // Area topic -> until when it is rebuilt each period (a touch, plus the history's lag).
    private readonly Dictionary<string, DateTimeOffset> _dirty = new(StringComparer.Ordinal);
    // What was last sent per topic without the moving "now" point, so an unchanged area is not sent again.
    private readonly Dictionary<string, string> _sent = new(StringComparer.Ordinal);
    // The newest state built per topic: a surge of viewers subscribing (each gets the state at once) costs one build a
    // period, not one each (the national curve goes over every station).
    private readonly Dictionary<string, (DateTimeOffset At, AreaState State)> _built = new(StringComparer.Ordinal);

    /// <summary>A viewer on this host subscribed to <paramref name="topic"/> (region or constituency).</summary>
    public void Watch(LiveTopic topic)
    {
        if (topic.Kind is not (LiveTopicKind.Region or LiveTopicKind.Constituency or LiveTopicKind.Election)) return;
        lock (_lock) _watchers.Add(topic.Name);
    }

    public void Unwatch(string topic)
    {
        lock (_lock)
            if (_watchers.Remove(topic))
            {
                _sent.Remove(topic);
                _built.Remove(topic);
            }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        observer.MessagesReceived += Touch;
        try
        {
            using var timer = new PeriodicTimer(Period);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try { await BuildDueAsync(stoppingToken); }
                catch (Exception e) when (e is not OperationCanceledException) { LogBuildFailed(e); }
            }
        }
        catch (OperationCanceledException) { }
        finally { observer.MessagesReceived -= Touch; }
    }

    private void Touch(IReadOnlyList<LiveMessage> messages)
    {
        var until = DateTimeOffset.UtcNow + TurnoutHistory.RefreshInterval + Period;
        lock (_lock)
        {
            if (_watchers.Count == 0) return;
            foreach (var m in messages)
                foreach (var area in AreasOf(m.Topic))
                    if (_watchers.Contains(area)) _dirty[area] = until;
        }
    }

    /// <summary>The region and constituency topics a station or constituency message concerns.</summary>
    private IEnumerable<string> AreasOf(string topic)
    {
        var e = catalog.Election.Id;
        switch (topic.Split(':'))
        {
            case ["station", _, var stationId] when catalog.FindStation(stationId) is { } station:
                yield return LiveTopics.Election(e);
                yield return RegionTopic(e, station.RegionId);
                foreach (var (contest, constituency) in station.Constituencies) yield return LiveTopics.Constituency(e, contest, constituency);
                break;
            case ["constituency", _, var contest, var id] when catalog.FindConstituency(contest, id) is { } constituency:
                yield return LiveTopics.Election(e);
                yield return topic;
                yield return RegionTopic(e, constituency.RegionId);
                break;
        }
    }

    private async Task BuildDueAsync(CancellationToken cancellationToken)
    {
        List<string> due;
        var now = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            due = [.. _dirty.Keys.Where(_watchers.Contains)];
            foreach (var (topic, until) in _dirty.ToList())
                if (until < now || !_watchers.Contains(topic)) _dirty.Remove(topic);
        }
        foreach (var topic in due)
        {
            if (LiveTopicParser.Parse(topic, catalog) is not { } parsed) continue;
            var state = await BuildAsync(parsed, cancellationToken);
            if (state is null) continue;
            // The newest curve point is at "now", which moves with the clock: it alone does not make a change worth sending.
            var key = JsonSerializer.Serialize(state with { Curve = [.. state.Curve.Select((p, i) => i == state.Curve.Count - 1 ? p with { At = default } : p)] }, LiveJson.Options);
            lock (_lock)
            {
                if (_sent.TryGetValue(topic, out var held) && held == key) continue;
                if (_watchers.Contains(topic)) _sent[topic] = key;
            }
            observer.Publish(LiveJson.Message(topic, AreaType, state));
        }
    }

    /// <summary>
    /// The area state of an election, region or constituency topic (null for other topics), for the hub's snapshot: the one
    /// built in the last period if there is one (a change since is on its way to the topic's group).
    /// </summary>
    public async Task<AreaState?> StateAsync(LiveTopic topic, CancellationToken cancellationToken = default)
    {
        lock (_lock)
            if (_built.TryGetValue(topic.Name, out var held) && DateTimeOffset.UtcNow - held.At < Period) return held.State;
        return await BuildAsync(topic, cancellationToken);
    }

    private async Task<AreaState?> BuildAsync(LiveTopic topic, CancellationToken cancellationToken)
    {
        var at = DateTimeOffset.UtcNow;
        var state = await ComputeAsync(topic, cancellationToken);
        if (state is not null)
            lock (_lock)
            {
                // Kept only while watched (unwatching the last viewer drops it), so the cache holds what viewers hold.
                if (_watchers.Contains(topic.Name) && (!_built.TryGetValue(topic.Name, out var held) || held.At < at)) _built[topic.Name] = (at, state);
            }
        return state;
    }

    private async Task<AreaState?> ComputeAsync(LiveTopic topic, CancellationToken cancellationToken)
    {
        var e = catalog.Election.Id;
        await history.RefreshAsync(cancellationToken);
        var resultsPublic = clock.ResultsArePublic;
        switch (topic.Kind)
        {
            case LiveTopicKind.Region:
            {
                var regionId = topic.RegionId!;
                var results = await grains.GetGrain<IElectionGrain>(e).GetResultsAsync();
                var turnout = results.RegionTurnout.FirstOrDefault(r => r.RegionId == regionId)?.Turnout;
                var stations = catalog.Stations.Where(s => s.RegionId == regionId).ToList();
                var calls = catalog.Election.Contests.SelectMany(c => c.Constituencies.Where(k => k.RegionId == regionId)
                    .Select(k => grains.GetGrain<IConstituencyGrain>(GrainKeys.Constituency(e, c.Id, k.Id)).GetResultsAsync()));
                var constituencies = await Task.WhenAll(calls);
                var primary = catalog.Election.Contests.FirstOrDefault();
                var byStation = constituencies.Where(c => c.Info.ContestId == primary?.Id).SelectMany(c => c.Stations)
                    .ToDictionary(r => r.StationId, StringComparer.Ordinal);
                var public_ = resultsPublic && results.ResultsPublic;
                return new AreaState(
                    turnout,
                    Curve(stations),
                    [.. stations.Select(s => StationOf(Region.Row(s, history.LatestOf(s), byStation.GetValueOrDefault(s.Id)), public_, withVotes: false))],
                    constituencies.GroupBy(c => c.Info.ContestId, StringComparer.Ordinal).ToDictionary(g => g.Key,
                        g => (IReadOnlyList<AreaConstituency>)[.. g.Select(c => new AreaConstituency(c.Info.Id, c.StationsReported, c.StationsTotal,
                            public_ && c.ResultsPublic ? c.Outcome : null))], StringComparer.Ordinal));
            }
            case LiveTopicKind.Constituency:
            {
                var results = await grains.GetGrain<IConstituencyGrain>(GrainKeys.Constituency(e, topic.ContestId!, topic.ConstituencyId!)).GetResultsAsync();
                var stations = results.Info.StationIds.Select(id => catalog.FindStation(id)!).ToList();
                var rows = results.Stations.ToDictionary(r => r.StationId, StringComparer.Ordinal);
                var public_ = resultsPublic && results.ResultsPublic;
                // As the constituency widget shows it: over the stations that reported.
                var latest = stations.Select(history.LatestOf).OfType<(int Issued, int OnList)>().ToList();
                long issued = latest.Sum(t => (long)t.Issued), onList = latest.Sum(t => (long)t.OnList);
                var turnout = new TurnoutFigure(issued, onList, Format.Share(issued, onList), latest.Count, stations.Count);
                return new AreaState(turnout, Curve(stations),
                    [.. stations.Select(s => StationOf(Region.Row(s, history.LatestOf(s), rows.GetValueOrDefault(s.Id)), public_, withVotes: true))], null);
            }
            case LiveTopicKind.Election:
            {
                // The home page: the national curve, and once public the contests' figures by party.
                var results = await grains.GetGrain<IElectionGrain>(e).GetResultsAsync();
                var public_ = resultsPublic && results.ResultsPublic;
                return new AreaState(results.Turnout, Curve(catalog.Stations), null, null)
                {
                    Contests = public_ ? [.. results.Contests.Select(c => new AreaContest(c.ContestId, c.StationsReported, c.StationsTotal,
                        c.StationsInvalidated, c.Totals.BallotsInBoxes, c.OutcomeCounts, Components.Pages.Home.PartyVotes(catalog, c)))] : null,
                };
            }
            default:
                return null;
        }
    }

    private List<AreaPoint> Curve(IReadOnlyCollection<StationDefinition> stations) =>
        [.. history.Curve(stations, clock.Now).Select(p => new AreaPoint(p.At, p.Percent))];

    // Art. 103: a station's ballots and votes only once results are public; before close every status is "missing" anyway.
    // Small rows, as a region may have a thousand stations: no status while it is "missing" (all of them before close). The
    // turnout stays exact: rounded, it could show or sort otherwise than the page does.
    private static AreaStation StationOf(StationRow row, bool resultsPublic, bool withVotes) => new(
        row.Id, row.TurnoutPercent, row.Status == "missing" ? null : row.Status,
        resultsPublic ? row.BallotsInBoxes : null,
        resultsPublic && withVotes ? row.CandidateVotes : null);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Building the live area states failed")]
    private partial void LogBuildFailed(Exception exception);
}

/// <summary>
/// An <c>area</c> message's state (camelCase JSON; absent fields are null). <see cref="Turnout"/>: the nation's or a region's
/// as the election grain counts it, a constituency's over its reporting stations (as its widget shows it).
/// <see cref="Stations"/>: a region's or constituency's. <see cref="Constituencies"/>: a region's only, by contest.
/// </summary>
public sealed record AreaState(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TurnoutFigure? Turnout,
    IReadOnlyList<AreaPoint> Curve,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AreaStation>? Stations,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, IReadOnlyList<AreaConstituency>>? Constituencies)
{
    /// <summary>The election topic's only, once results are public: each contest's national figures.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AreaContest>? Contests { get; init; }
}

/// <summary>A contest's national figures: stations, ballots in the boxes, outcomes by kind, votes by party ("" for none).</summary>
public sealed record AreaContest(
    string ContestId, int StationsReported, int StationsTotal, int StationsInvalidated, long BallotsInBoxes,
    IReadOnlyDictionary<string, int> OutcomeCounts, IReadOnlyDictionary<string, long> PartyVotes);

public sealed record AreaPoint(DateTimeOffset At, double Percent);

/// <summary>
/// A station's row: turnout in percent (null before its first report), protocol status (null while missing),
/// and its figures once public.
/// </summary>
public sealed record AreaStation(
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Turnout,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? BallotsInBoxes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, long>? CandidateVotes);

public sealed record AreaConstituency(
    string Id, int StationsReported, int StationsTotal,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Outcome? Outcome);
