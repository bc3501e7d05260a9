using Portal.Grains.Abstractions;
using Portal.Grains.Ledger;

namespace Portal.Grains.Results;

/// <summary>
/// A station's state as a pure function of its ledger entries in sequence order. The station grain keeps one;
/// the constituency and election grains rebuild theirs with it from the ledger at activation. With
/// <paramref name="publishable"/> (the station grain's plausibility rules) a turnout report that fails it is kept for
/// idempotency and versions but is neither in <see cref="Turnout"/> nor ever the <see cref="PublishedTurnout"/>.
/// </summary>
public sealed class StationLedgerState(string stationId, Func<TurnoutPoint, bool>? publishable = null)
{
    private readonly List<TurnoutPoint> _turnout = [];
    private int _turnoutEntries;
    private readonly Dictionary<string, List<ProtocolVersion>> _protocols = new(StringComparer.Ordinal);
    private readonly List<InvalidationView> _invalidations = [];
    private readonly Dictionary<string, (string Content, SubmissionReceipt Receipt)> _submissions = new(StringComparer.Ordinal);

    public string StationId { get; } = stationId;
    public IReadOnlyList<TurnoutPoint> Turnout => _turnout;
    public IReadOnlyList<InvalidationView> Invalidations => _invalidations;
    public IReadOnlyDictionary<string, List<ProtocolVersion>> Protocols => _protocols;

    /// <summary>The published turnout: the report with the latest asOf (an older report is stored but does not move it back).</summary>
    public TurnoutPoint? PublishedTurnout { get; private set; }

    public static string TurnoutContent(TurnoutSubmission t) => "turnout:" + LedgerPayloads.Turnout(t, null);

    public static string ProtocolContent(ProtocolSubmission p) => "protocol:" + LedgerPayloads.Protocol(p, null);

    public bool TryGetSubmission(string submissionId, out string content, out SubmissionReceipt receipt)
    {
        if (_submissions.TryGetValue(submissionId, out var found)) { (content, receipt) = found; return true; }
        (content, receipt) = ("", null!);
        return false;
    }

    public ProtocolVersion? Latest(string contestId) =>
        _protocols.TryGetValue(contestId, out var list) && list.Count > 0 ? list[^1] : null;

    public InvalidationView? LatestInvalidation(string contestId) => _invalidations.LastOrDefault(i => i.ContestId == contestId);

    public int NextTurnoutVersion => _turnoutEntries + 1;

    public int NextProtocolVersion(string contestId) => (Latest(contestId)?.Version ?? 0) + 1;

    /// <summary>Applies one entry of this station; returns the contest whose result changed, if any.</summary>
    public string? Apply(LedgerEntry entry)
    {
        switch (entry.Kind)
        {
            case LedgerKinds.Turnout:
            {
                var (t, version) = LedgerPayloads.ParseTurnout(entry.Payload);
                var point = new TurnoutPoint(t.AsOf, t.VotersIssuedBallots, t.VotersOnList, version, entry.Seq, entry.Hash, entry.ReceivedAt);
                _turnoutEntries++;
                if (publishable is null || publishable(point))
                {
                    _turnout.Add(point);
                    if (PublishedTurnout is null || point.AsOf >= PublishedTurnout.AsOf) PublishedTurnout = point;
                }
                _submissions[t.SubmissionId] = (TurnoutContent(t), new SubmissionReceipt(t.SubmissionId, version, entry.Seq, entry.Hash));
                return null;
            }
            case LedgerKinds.Protocol:
            {
                var (p, version) = LedgerPayloads.ParseProtocol(entry.Payload);
                if (!_protocols.TryGetValue(p.ContestId, out var list)) _protocols[p.ContestId] = list = [];
                list.Add(new ProtocolVersion(p, version, entry.Seq, entry.Hash, entry.ReceivedAt));
                _submissions[p.SubmissionId] = (ProtocolContent(p), new SubmissionReceipt(p.SubmissionId, version, entry.Seq, entry.Hash));
                return p.ContestId;
            }
            case LedgerKinds.Invalidation:
            {
                var i = LedgerPayloads.ParseInvalidation(entry.Payload);
                _invalidations.Add(new InvalidationView(i.ContestId, i.DecisionId, i.Reason, i.Invalidated, entry.Seq, entry.Hash, entry.ReceivedAt));
                return i.ContestId;
            }
            default:
                return null;
        }
    }

    /// <summary>What the constituency of <paramref name="contestId"/> should hold for this station, or null if nothing yet.</summary>
    public StationResult? ResultFor(string contestId)
    {
        var latest = Latest(contestId);
        var invalidation = LatestInvalidation(contestId);
        if (latest is null && invalidation is null) return null;
        var seq = Math.Max(latest?.LedgerSeq ?? 0, invalidation?.LedgerSeq ?? 0);
        var invalidated = invalidation?.Invalidated == true;
        return new StationResult(StationId, latest?.Version ?? 0, seq, latest?.EntryHash ?? invalidation!.EntryHash, latest?.Submission,
            invalidated, invalidated ? invalidation!.DecisionId : null, invalidated ? invalidation!.Reason : null);
    }
}

public sealed record ProtocolVersion(ProtocolSubmission Submission, int Version, long LedgerSeq, string EntryHash, DateTimeOffset ReceivedAt);
