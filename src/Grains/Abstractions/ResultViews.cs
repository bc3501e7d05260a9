using Portal.Grains.Results;

namespace Portal.Grains.Abstractions;

/// <summary>Summed protocol figures (a station, a constituency, a region or the nation, one contest).</summary>
[GenerateSerializer, Immutable, Alias("portal.Tally")]
public sealed record Tally(
    [property: Id(0)] long VotersOnList,
    [property: Id(1)] long BallotsReceived,
    [property: Id(2)] long VotersIssuedBallots,
    [property: Id(3)] long BallotsInBoxes,
    [property: Id(4)] long InvalidBallots,
    [property: Id(5)] long SpoiledBallots,
    [property: Id(6)] long UnusedBallots,
    [property: Id(7)] IReadOnlyDictionary<string, long> CandidateVotes)
{
    public static readonly Tally Empty = new(0, 0, 0, 0, 0, 0, 0, new Dictionary<string, long>());

    public static Tally Of(ProtocolSubmission p) => new(p.VotersOnList, p.BallotsReceived, p.VotersIssuedBallots, p.BallotsInBoxes,
        p.InvalidBallots, p.SpoiledBallots, p.UnusedBallots, p.CandidateVotes.ToDictionary(kv => kv.Key, kv => (long)kv.Value, StringComparer.Ordinal));

    public static Tally Sum(IEnumerable<Tally> tallies)
    {
        long a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0;
        var votes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var t in tallies)
        {
            a += t.VotersOnList; b += t.BallotsReceived; c += t.VotersIssuedBallots; d += t.BallotsInBoxes;
            e += t.InvalidBallots; f += t.SpoiledBallots; g += t.UnusedBallots;
            foreach (var (id, v) in t.CandidateVotes) votes[id] = votes.GetValueOrDefault(id) + v;
        }
        return new Tally(a, b, c, d, e, f, g, votes);
    }
}

public enum OutcomeKind
{
    /// <summary>Not every station has reported.</summary>
    Pending,
    /// <summary>A candidate got more than half of the votes cast (Art. 59, 96).</summary>
    Elected,
    /// <summary>No one got more than half: repeat vote between the top two (Art. 96).</summary>
    RepeatVote,
    /// <summary>Turnout below 33% of the list (Art. 96).</summary>
    NotConducted,
}

[GenerateSerializer, Immutable, Alias("portal.Outcome")]
public sealed record Outcome(
    [property: Id(0)] OutcomeKind Kind,
    [property: Id(1)] string? WinnerId,
    [property: Id(2)] IReadOnlyList<string> RepeatVoteCandidateIds,
    [property: Id(3)] int StationsReported,
    [property: Id(4)] int StationsTotal,
    [property: Id(5)] double TurnoutPercent);

/// <summary>One constituency's aggregate as the constituency grain pushes it to the election grain.</summary>
[GenerateSerializer, Immutable, Alias("portal.ConstituencyTotals")]
public sealed record ConstituencyTotals(
    [property: Id(0)] string ContestId,
    [property: Id(1)] string ConstituencyId,
    [property: Id(2)] string RegionId,
    [property: Id(3)] int StationsTotal,
    [property: Id(4)] int StationsReported,
    [property: Id(5)] int StationsInvalidated,
    [property: Id(6)] Tally Tally,
    [property: Id(7)] Outcome Outcome,
    [property: Id(8)] long Revision);

/// <summary>A station's latest state in one contest as the station grain sends it to its constituency. Ordered by ledger sequence.</summary>
[GenerateSerializer, Immutable, Alias("portal.StationResult")]
public sealed record StationResult(
    [property: Id(0)] string StationId,
    [property: Id(1)] int Version,
    [property: Id(2)] long LedgerSeq,
    [property: Id(3)] string EntryHash,
    [property: Id(4)] ProtocolSubmission? Protocol,
    [property: Id(5)] bool Invalidated,
    [property: Id(6)] string? DecisionId,
    [property: Id(7)] string? InvalidationReason);

/// <summary>A station's latest turnout as the station grain sends it to the election grain.</summary>
[GenerateSerializer, Immutable, Alias("portal.StationTurnout")]
public sealed record StationTurnout(
    [property: Id(0)] string StationId,
    [property: Id(1)] string RegionId,
    [property: Id(2)] DateTimeOffset AsOf,
    [property: Id(3)] int VotersIssuedBallots,
    [property: Id(4)] int VotersOnList,
    [property: Id(5)] long LedgerSeq);

[GenerateSerializer, Immutable, Alias("portal.TurnoutPoint")]
public sealed record TurnoutPoint(
    [property: Id(0)] DateTimeOffset AsOf,
    [property: Id(1)] int VotersIssuedBallots,
    [property: Id(2)] int? VotersOnList,
    [property: Id(3)] int Version,
    [property: Id(4)] long LedgerSeq,
    [property: Id(5)] string EntryHash,
    [property: Id(6)] DateTimeOffset ReceivedAt);

[GenerateSerializer, Immutable, Alias("portal.ProtocolVersionView")]
public sealed record ProtocolVersionView(
    [property: Id(0)] string ContestId,
    [property: Id(1)] int Version,
    [property: Id(2)] string SubmissionId,
    [property: Id(3)] string? Supersedes,
    [property: Id(4)] string? Reason,
    [property: Id(5)] long LedgerSeq,
    [property: Id(6)] string EntryHash,
    [property: Id(7)] DateTimeOffset ReceivedAt,
    [property: Id(8)] bool Latest,
    [property: Id(9)] ProtocolSubmission? Figures);

[GenerateSerializer, Immutable, Alias("portal.InvalidationView")]
public sealed record InvalidationView(
    [property: Id(0)] string ContestId,
    [property: Id(1)] string DecisionId,
    [property: Id(2)] string Reason,
    [property: Id(3)] bool Invalidated,
    [property: Id(4)] long LedgerSeq,
    [property: Id(5)] string EntryHash,
    [property: Id(6)] DateTimeOffset ReceivedAt);

/// <summary>Everything public about a station. Protocol figures are null while results are embargoed.</summary>
[GenerateSerializer, Immutable, Alias("portal.StationDetails")]
public sealed record StationDetails(
    [property: Id(0)] StationInfo Info,
    [property: Id(1)] IReadOnlyList<TurnoutPoint> Turnout,
    [property: Id(2)] TurnoutPoint? PublishedTurnout,
    [property: Id(3)] IReadOnlyList<ProtocolVersionView> Protocols,
    [property: Id(4)] IReadOnlyList<InvalidationView> Invalidations,
    [property: Id(5)] bool ResultsPublic);

[GenerateSerializer, Immutable, Alias("portal.ConstituencyStationRow")]
public sealed record ConstituencyStationRow(
    [property: Id(0)] string StationId,
    [property: Id(1)] string Status,
    [property: Id(2)] int? Version,
    [property: Id(3)] long? LedgerSeq,
    [property: Id(4)] string? EntryHash,
    [property: Id(5)] Tally? Tally,
    [property: Id(6)] string? DecisionId);

/// <summary>A constituency's public results. Totals, outcome and station figures are null while results are embargoed.</summary>
[GenerateSerializer, Immutable, Alias("portal.ConstituencyResults")]
public sealed record ConstituencyResults(
    [property: Id(0)] ConstituencyInfo Info,
    [property: Id(1)] bool ResultsPublic,
    [property: Id(2)] int StationsTotal,
    [property: Id(3)] int StationsReported,
    [property: Id(4)] int StationsInvalidated,
    [property: Id(5)] Tally? Totals,
    [property: Id(6)] Outcome? Outcome,
    [property: Id(7)] IReadOnlyList<ConstituencyStationRow> Stations);

[GenerateSerializer, Immutable, Alias("portal.TurnoutFigure")]
public sealed record TurnoutFigure(
    [property: Id(0)] long VotersIssuedBallots,
    [property: Id(1)] long VotersOnList,
    [property: Id(2)] double Percent,
    [property: Id(3)] int StationsReporting,
    [property: Id(4)] int StationsTotal);

[GenerateSerializer, Immutable, Alias("portal.RegionTurnout")]
public sealed record RegionTurnout([property: Id(0)] string RegionId, [property: Id(1)] TurnoutFigure Turnout);

[GenerateSerializer, Immutable, Alias("portal.RegionTally")]
public sealed record RegionTally([property: Id(0)] string RegionId, [property: Id(1)] Tally Tally, [property: Id(2)] int StationsReported);

[GenerateSerializer, Immutable, Alias("portal.ContestResults")]
public sealed record ContestResults(
    [property: Id(0)] string ContestId,
    [property: Id(1)] int ConstituenciesTotal,
    [property: Id(2)] int StationsTotal,
    [property: Id(3)] int StationsReported,
    [property: Id(4)] int StationsInvalidated,
    [property: Id(5)] Tally Totals,
    [property: Id(6)] IReadOnlyDictionary<string, int> OutcomeCounts,
    [property: Id(7)] IReadOnlyList<RegionTally> Regions);

/// <summary>The election's live figures. Contests is empty while results are embargoed (Art. 103); turnout is always public.</summary>
[GenerateSerializer, Immutable, Alias("portal.ElectionResults")]
public sealed record ElectionResults(
    [property: Id(0)] string ElectionId,
    [property: Id(1)] string Status,
    [property: Id(2)] DateTimeOffset ElectionTime,
    [property: Id(3)] bool ResultsPublic,
    [property: Id(4)] TurnoutFigure Turnout,
    [property: Id(5)] IReadOnlyList<RegionTurnout> RegionTurnout,
    [property: Id(6)] IReadOnlyList<ContestResults> Contests);
