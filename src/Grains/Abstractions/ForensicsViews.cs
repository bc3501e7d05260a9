namespace Portal.Grains.Abstractions;

/// <summary>
/// The statistics for observers of one contest in one selection (the nation, a region or a constituency), api.md
/// section 6. Every figure derived from a protocol is null while results are embargoed (Art. 103).
/// </summary>
[GenerateSerializer, Immutable, Alias("portal.ForensicsReport")]
public sealed record ForensicsReport(
    [property: Id(0)] string ElectionId,
    [property: Id(1)] string ContestId,
    [property: Id(2)] string? RegionId,
    [property: Id(3)] string? ConstituencyId,
    [property: Id(4)] bool ResultsPublic,
    [property: Id(5)] int StationsTotal,
    [property: Id(6)] int? StationsReported,
    [property: Id(7)] string? LeadingParty,
    [property: Id(8)] Fingerprint? Fingerprint,
    [property: Id(9)] IntegerPercentTests? IntegerPercent,
    [property: Id(10)] LastDigitTest? LastDigit,
    [property: Id(11)] IReadOnlyList<StationFlag> Flags,
    [property: Id(12)] IReadOnlyList<string>? InvalidatedStations,
    [property: Id(13)] PercentHistograms? Histograms,
    [property: Id(14)] long LedgerSeq,
    [property: Id(15)] DateTimeOffset ComputedAt);

/// <summary>Cells <c>[turnoutBin, leaderShareBin, stations, voters]</c>, a bin named by its lower edge in percent; voters are those issued ballots.</summary>
[GenerateSerializer, Immutable, Alias("portal.Fingerprint")]
public sealed record Fingerprint(
    [property: Id(0)] int BinPercent,
    [property: Id(1)] IReadOnlyList<long[]> Cells);

[GenerateSerializer, Immutable, Alias("portal.IntegerPercentTests")]
public sealed record IntegerPercentTests(
    [property: Id(0)] WholePercentTest Turnout,
    [property: Id(1)] WholePercentTest? LeaderShare);

/// <summary>Stations whose share is a whole percentage (observed) against the sum of their chances (expected); pValue = P(at least observed by chance).</summary>
[GenerateSerializer, Immutable, Alias("portal.WholePercentTest")]
public sealed record WholePercentTest(
    [property: Id(0)] int Observed,
    [property: Id(1)] double Expected,
    [property: Id(2)] double PValue,
    [property: Id(3)] int Stations);

[GenerateSerializer, Immutable, Alias("portal.LastDigitTest")]
public sealed record LastDigitTest(
    [property: Id(0)] long Tallies,
    [property: Id(1)] IReadOnlyList<long> Counts,
    [property: Id(2)] double ChiSquare,
    [property: Id(3)] double PValue);

/// <summary>Stations per 0.1 % bin of turnout and of the leading party's share (1,000 bins, 100 % in the last): the spikes at whole numbers show here.</summary>
[GenerateSerializer, Immutable, Alias("portal.PercentHistograms")]
public sealed record PercentHistograms(
    [property: Id(0)] double BinPercent,
    [property: Id(1)] IReadOnlyList<int> Turnout,
    [property: Id(2)] IReadOnlyList<int> LeaderShare);

/// <summary>A station to look at, with every code that applies (and, after close, its turnout and leader share).</summary>
[GenerateSerializer, Immutable, Alias("portal.StationFlag")]
public sealed record StationFlag(
    [property: Id(0)] string StationId,
    [property: Id(1)] IReadOnlyList<string> Codes,
    [property: Id(2)] int Number,
    [property: Id(3)] string ConstituencyId,
    [property: Id(4)] double? Turnout,
    [property: Id(5)] double? LeaderShare,
    [property: Id(6)] int? Version);

/// <summary>One row of forensics.csv: a station in a contest with its figures (null while embargoed) and its codes.</summary>
[GenerateSerializer, Immutable, Alias("portal.ForensicsStationRow")]
public sealed record ForensicsStationRow(
    [property: Id(0)] string StationId,
    [property: Id(1)] int Number,
    [property: Id(2)] string RegionId,
    [property: Id(3)] string ConstituencyId,
    [property: Id(4)] string Status,
    [property: Id(5)] int? Version,
    [property: Id(6)] double? Turnout,
    [property: Id(7)] double? LeaderShare,
    [property: Id(8)] IReadOnlyList<string> Codes);
