using Portal.Grains.Abstractions;

namespace Portal.Apis;

// The bodies of the public read API (api.md section 3 "Public read API and video") as named types, so the OpenAPI document can describe them.
// Property order and names are the wire's: a record serialises its properties in declaration order.

/// <summary><c>GET /api/v1/elections/{electionId}</c>: results per contest only after polls close (Art. 103).</summary>
public sealed record ElectionDto(
    string Id, IReadOnlyDictionary<string, string> Name, string TimeZone, DateTimeOffset PollsOpen, DateTimeOffset PollsClose,
    string Status, DateTimeOffset ElectionTime, bool ResultsPublic, int StationCount, long VotersOnList,
    TurnoutFigure Turnout, IReadOnlyList<RegionTurnout> RegionTurnout, IReadOnlyList<RegionSummary> Regions,
    IReadOnlyList<ElectionContestDto> Contests);

/// <summary>One contest of the election; <c>results</c> is null while embargoed.</summary>
public sealed record ElectionContestDto(string Id, string Kind, IReadOnlyDictionary<string, string> Name, int ConstituencyCount, ContestResults? Results);

/// <summary><c>GET /api/v1/elections/{electionId}/stations/{stationId}</c>: protocol figures are null while embargoed.</summary>
public sealed record StationDto(
    StationInfo Station, bool ResultsPublic, TurnoutPoint? Turnout, IReadOnlyList<TurnoutPoint> TurnoutTimeline,
    IReadOnlyList<ProtocolVersionView> Protocols, IReadOnlyList<InvalidationView> Invalidations, IReadOnlyList<StationCameraDto> Cameras);

/// <summary>A station's camera as the public sees it: its id and live playlist, never its source.</summary>
public sealed record StationCameraDto(string Id, bool Enabled, string HlsUrl);

/// <summary><c>GET /api/v1/ledger/head</c>.</summary>
public sealed record LedgerHeadDto(long Seq, string Hash);

/// <summary>A station key as <c>GET /api/v1/keys</c> publishes it (SubjectPublicKeyInfo, base64).</summary>
public sealed record StationKeyDto(string StationId, string KeyId, string PublicKey, DateTimeOffset? ValidFrom, DateTimeOffset? ValidUntil);
