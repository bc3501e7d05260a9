using Portal.Grains.Abstractions;

namespace Portal.Grains.Live;

/// <summary>
/// The state of a station's live <c>turnout</c> message (camelCase JSON: <c>stationId</c>, <c>turnout</c>): its newest
/// published report (ballots issued, list size with the annex, as of, version, ledger entry), which is also the newest
/// point of the station's curve. The newest state, not a history (api.md section 4 "Live hub"): the day's timeline is on the
/// station page and API.
/// </summary>
public sealed record StationTurnoutState(string StationId, TurnoutPoint? Turnout);
