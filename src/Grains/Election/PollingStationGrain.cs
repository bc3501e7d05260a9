using Orleans.Placement;
using Portal.Grains.Abstractions;
using Portal.Grains.Ledger;
using Portal.Grains.Live;
using Portal.Grains.Model;
using Portal.Grains.Results;

namespace Portal.Grains.Election;

/// <summary>
/// The only writer of its station's ledger entries. Calls are not interleaved, so version and idempotency checks and
/// the append happen one submission at a time per station, while thousands of stations share the ledger's group commit.
/// State is rebuilt from the ledger at activation; nothing else is stored.
/// </summary>
// Activated on the node that first asks for it: with the edge routing a station's submissions to one node by its id
// (infra/cluster nginx), the intake's call to its station grain stays in that node's process (docs/ledger.md).
[PreferLocalPlacement]
public sealed class PollingStationGrain(ElectionCatalog catalog, ElectionClock clock, ILedgerStore ledger) : Grain, IPollingStationGrain
{
    private StationInfo? _info;
    private StationDefinition _station = null!;
    private string _electionId = "";
    private StationLedgerState _state = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (electionId, stationId) = GrainKeys.ParseStation(this.GetPrimaryKeyString());
        var station = electionId == catalog.Election.Id ? catalog.FindStation(stationId) : null;
        if (station is null) throw new KeyNotFoundException($"unknown station \"{this.GetPrimaryKeyString()}\"");
        (_electionId, _station) = (electionId, station);
        _state = new StationLedgerState(stationId, point =>
            PlausibilityRules.IsPublishable(point.AsOf, point.VotersIssuedBallots, point.VotersOnList, station, catalog.Election, clock.Now));
        foreach (var entry in await ledger.ReadStationsAsync([stationId], cancellationToken)) _state.Apply(entry);
    }

    public Task<StationInfo> GetInfoAsync()
    {
        _info ??= new StationInfo(
            _electionId, _station.Id, _station.Number, _station.RegionId, _station.Address, _station.AddressForms ?? [],
            _station.VotersOnList, _station.Constituencies,
            [.. _station.Cameras.Select(c => new CameraInfo(c.Id, c.Enabled))]);
        return Task.FromResult(_info);
    }

    public async Task<StationDetails> GetDetailsAsync()
    {
        var info = await GetInfoAsync();
        var open = clock.ResultsArePublic;
        var protocols = _state.Protocols.Values.SelectMany(list => list.Select(v => new ProtocolVersionView(
                v.Submission.ContestId, v.Version, v.Submission.SubmissionId, v.Submission.Supersedes, v.Submission.Reason,
                v.LedgerSeq, v.EntryHash, v.ReceivedAt, ReferenceEquals(v, list[^1]), open ? v.Submission : null)))
            .OrderBy(v => v.ContestId, StringComparer.Ordinal).ThenBy(v => v.Version).ToList();
        return new StationDetails(info, [.. _state.Turnout.OrderBy(t => t.AsOf).ThenBy(t => t.LedgerSeq)], _state.PublishedTurnout,
            protocols, [.. _state.Invalidations], open);
    }

    public async Task<SubmissionResult> SubmitTurnoutAsync(TurnoutSubmission submission, SignedRequest request, DateTimeOffset receivedAt)
    {
        var content = StationLedgerState.TurnoutContent(submission);
        if (Replay(submission.SubmissionId, content) is { } replay) return await AnnouncedAsync(replay);
        var before = _state.PublishedTurnout;
        var entry = await AppendAsync(new LedgerAppend(LedgerKinds.Turnout, _station.Id,
            LedgerPayloads.Turnout(submission, _state.NextTurnoutVersion), receivedAt, request));
        _state.Apply(entry);
        _state.TryGetSubmission(submission.SubmissionId, out _, out var receipt);
        var published = _state.PublishedTurnout!;
        if (!ReferenceEquals(before, published))
        {
            await GrainReferences.Get<IElectionGrain>(GrainFactory, _electionId).ReportTurnoutAsync(new StationTurnout(
                _station.Id, _station.RegionId, published.AsOf, published.VotersIssuedBallots,
                published.VotersOnList ?? _station.VotersOnList, published.LedgerSeq));
            // The newest state only (api.md section 4 "Live hub"): the published report is a point of the day's curve; the whole
            // timeline is on the station API and page, and sending it with every report made the message grow all day.
            Publish(LiveTopics.Turnout, new StationTurnoutState(_station.Id, published));
        }
        return new SubmissionResult(SubmissionStatus.Created, receipt, []);
    }

    public async Task<SubmissionResult> SubmitProtocolAsync(ProtocolSubmission submission, SignedRequest request, DateTimeOffset receivedAt)
    {
        if (!_station.Constituencies.TryGetValue(submission.ContestId, out var constituencyId))
            return SubmissionResult.Error(SubmissionStatus.NotFound, "contestId", "unknown", $"station {_station.Id} votes in no contest \"{submission.ContestId}\"");
        var content = StationLedgerState.ProtocolContent(submission);
        if (Replay(submission.SubmissionId, content) is { } replay) return await AnnouncedAsync(replay);
        if (!clock.PollsClosed)
            return SubmissionResult.Error(SubmissionStatus.BeforePollsClose, "", "polls.open",
                $"protocols are accepted only after polls close at {catalog.Election.PollsClose:O}");
        var latest = _state.Latest(submission.ContestId);
        if (latest is not null && submission.Supersedes is null)
            return SubmissionResult.Error(SubmissionStatus.SupersedesMissing, "supersedes", "required",
                $"version {latest.Version} (submission {latest.Submission.SubmissionId}) exists; a correction must name it in supersedes and give a reason");
        if (submission.Supersedes is not null &&
            (latest is null || (submission.Supersedes != latest.Submission.SubmissionId && submission.Supersedes != latest.Version.ToString(System.Globalization.CultureInfo.InvariantCulture))))
            return SubmissionResult.Error(SubmissionStatus.SupersedesStale, "supersedes", "stale", latest is null
                ? "there is no earlier version to supersede"
                : $"the latest version is {latest.Version} (submission {latest.Submission.SubmissionId})");
        if (submission.Supersedes is not null && string.IsNullOrWhiteSpace(submission.Reason))
            return SubmissionResult.Error(SubmissionStatus.Invalid, "reason", "required", "a correction must give a reason");

        var entry = await AppendAsync(new LedgerAppend(LedgerKinds.Protocol, _station.Id,
            LedgerPayloads.Protocol(submission, _state.NextProtocolVersion(submission.ContestId)), receivedAt, request));
        var contest = _state.Apply(entry)!;
        _state.TryGetSubmission(submission.SubmissionId, out _, out var receipt);
        await Constituency(contest, constituencyId).ApplyStationResultAsync(_state.ResultFor(contest)!);
        if (clock.ResultsArePublic) Publish(LiveTopics.Results, await GetDetailsAsync());
        return new SubmissionResult(SubmissionStatus.Created, receipt, []);
    }

    public async Task<SubmissionReceipt> InvalidateAsync(StationInvalidation invalidation)
    {
        if (!_station.Constituencies.TryGetValue(invalidation.ContestId, out var constituencyId))
            throw new KeyNotFoundException($"station {_station.Id} votes in no contest \"{invalidation.ContestId}\"");
        var entry = await AppendAsync(new LedgerAppend(LedgerKinds.Invalidation, _station.Id,
            LedgerPayloads.Invalidation(invalidation), DateTimeOffset.UtcNow, null));
        _state.Apply(entry);
        await Constituency(invalidation.ContestId, constituencyId).ApplyStationResultAsync(_state.ResultFor(invalidation.ContestId)!);
        if (clock.ResultsArePublic) Publish(LiveTopics.Results, await GetDetailsAsync());
        return new SubmissionReceipt(invalidation.DecisionId, _state.Latest(invalidation.ContestId)?.Version ?? 0, entry.Seq, entry.Hash);
    }

    // An append that failed may still be in the ledger (the cluster's ledger writer died before its reply): this activation
    // then no longer knows its station's entries, so it goes and the next call rebuilds them from the ledger (a retry is
    // a replay, and no version is given out twice).
    private async Task<LedgerEntry> AppendAsync(LedgerAppend append)
    {
        try
        {
            return await ledger.AppendAsync(append);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private IConstituencyGrain Constituency(string contestId, string constituencyId) =>
        GrainReferences.Get<IConstituencyGrain>(GrainFactory, GrainKeys.Constituency(_electionId, contestId, constituencyId));

    // A replay is the station's retry of a submission that is already in the ledger, and possibly one whose append
    // failed to answer (its writer died after the write): the published figures may then never have heard of it, so a
    // replay announces the station's state again. Both receivers keep only what is newer by ledger sequence.
    private async Task<SubmissionResult> AnnouncedAsync(SubmissionResult replay)
    {
        if (replay.Status != SubmissionStatus.Replayed) return replay;
        if (_state.PublishedTurnout is { } published)
            await GrainReferences.Get<IElectionGrain>(GrainFactory, _electionId).ReportTurnoutAsync(new StationTurnout(
                _station.Id, _station.RegionId, published.AsOf, published.VotersIssuedBallots,
                published.VotersOnList ?? _station.VotersOnList, published.LedgerSeq));
        foreach (var (contestId, constituencyId) in _station.Constituencies)
            if (_state.ResultFor(contestId) is { } result) await Constituency(contestId, constituencyId).ApplyStationResultAsync(result);
        return replay;
    }

    private SubmissionResult? Replay(string submissionId, string content)
    {
        if (!_state.TryGetSubmission(submissionId, out var existing, out var receipt)) return null;
        return existing == content
            ? new SubmissionResult(SubmissionStatus.Replayed, receipt, [])
            : SubmissionResult.Error(SubmissionStatus.SubmissionIdReused, "submissionId", "reused",
                $"submission {submissionId} was already accepted with other content");
    }

    private void Publish<T>(string type, T state) =>
        GrainReferences.Get<ILiveFeedNotifierGrain>(GrainFactory, 0).PublishAsync(LiveJson.Message(LiveTopics.Station(_electionId, _station.Id), type, state)).Ignore();
}
