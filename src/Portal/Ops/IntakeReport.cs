using System.Globalization;
using System.Text;
using Portal.Grains.Model;
using Portal.Grains.Results;

namespace Portal.Ops;

public enum IntakeIssue
{
    /// <summary>No turnout report for an official reporting hour that has passed.</summary>
    MissingTurnout,
    /// <summary>After close: no protocol for a contest.</summary>
    MissingProtocol,
    /// <summary>The protocol has more than one version.</summary>
    Corrected,
    /// <summary>Turnout over 95% of the list.</summary>
    TurnoutOver95,
    /// <summary>Turnout jumped by more than 30 points between two reports.</summary>
    TurnoutJump,
    /// <summary>One candidate got more than 90% of the candidate votes.</summary>
    CandidateOver90,
    /// <summary>The result is invalidated by a decision.</summary>
    Invalidated,
}

/// <summary>One line of the intake screen and its CSV.</summary>
public sealed record IntakeRow(
    string StationId, int StationNumber, string RegionId, string? ConstituencyId, IntakeIssue Issue,
    string? ContestId, string? Hour, double? Value, string Detail);

public sealed record IntakeQuery(
    IntakeIssue? Issue = null, string? RegionId = null, string? ContestId = null, string? Hour = null, string? Text = null,
    string Sort = "station", bool Descending = false);

/// <summary>
/// Intake status from the ledger view: missing turnout per official reporting hour, missing and corrected protocols
/// after close, sanity-check failures. Computed on demand (a pass over the stations is milliseconds even at 100,000).
/// </summary>
public sealed class IntakeReport(OpsLedgerView view, ElectionCatalog catalog, ElectionClock clock)
{
    /// <summary>The official reporting hours (local time) on election day.</summary>
    public static readonly int[] ReportingHours = [10, 12, 14, 16, 18, 20];
    public const double TurnoutLimit = 0.95;
    public const double JumpLimitPoints = 30;
    public const double CandidateShareLimit = 0.90;

    public static readonly IReadOnlyList<string> SortKeys = ["station", "region", "issue", "contest", "hour", "value"];

    /// <summary>The reporting hours that have passed on the election clock ("10:00"...).</summary>
    public IReadOnlyList<string> PassedHours()
    {
        var now = clock.Now;
        return [.. ReportingHours.Where(h => HourStart(h) <= now).Select(Label)];
    }

    public IReadOnlyList<IntakeRow> Rows(IntakeQuery query)
    {
        var rows = AllRows().Where(r =>
            (query.Issue is null || r.Issue == query.Issue)
            && (string.IsNullOrEmpty(query.RegionId) || r.RegionId == query.RegionId)
            && (string.IsNullOrEmpty(query.ContestId) || r.ContestId == query.ContestId)
            && (string.IsNullOrEmpty(query.Hour) || r.Hour == query.Hour)
            && (string.IsNullOrWhiteSpace(query.Text) || r.StationId.Contains(query.Text.Trim(), StringComparison.OrdinalIgnoreCase)
                || r.Detail.Contains(query.Text.Trim(), StringComparison.OrdinalIgnoreCase)));
        Func<IntakeRow, object?> key = query.Sort switch
        {
            "region" => r => r.RegionId,
            "issue" => r => r.Issue,
            "contest" => r => r.ContestId,
            "hour" => r => r.Hour,
            "value" => r => r.Value,
            _ => r => r.StationNumber,
        };
        var ordered = query.Descending ? rows.OrderByDescending(key) : rows.OrderBy(key);
        return [.. ordered.ThenBy(r => r.StationNumber).ThenBy(r => r.Issue)];
    }

    public IReadOnlyDictionary<IntakeIssue, int> Counts() =>
        AllRows().GroupBy(r => r.Issue).ToDictionary(g => g.Key, g => g.Count());

    public static string ToCsv(IEnumerable<IntakeRow> rows)
    {
        var sb = new StringBuilder("stationId,stationNumber,regionId,constituencyId,issue,contestId,hour,value,detail\n");
        foreach (var r in rows)
            sb.Append(Cell(r.StationId)).Append(',').Append(r.StationNumber.ToString(CultureInfo.InvariantCulture)).Append(',')
              .Append(Cell(r.RegionId)).Append(',').Append(Cell(r.ConstituencyId)).Append(',').Append(Cell(r.Issue.ToString())).Append(',')
              .Append(Cell(r.ContestId)).Append(',').Append(Cell(r.Hour)).Append(',')
              .Append(r.Value?.ToString("0.##", CultureInfo.InvariantCulture)).Append(',').Append(Cell(r.Detail)).Append('\n');
        return sb.ToString();
    }

    private IEnumerable<IntakeRow> AllRows()
    {
        var now = clock.Now;
        var closed = clock.PollsClosed;
        var hours = ReportingHours.Where(h => HourStart(h) <= now).ToList();
        var firstContest = catalog.Election.Contests.FirstOrDefault()?.Id;
        return view.Read(states =>
        {
            var rows = new List<IntakeRow>();
            foreach (var station in catalog.Election.Stations)
            {
                var state = states[station.Id];
                var constituency = firstContest is null ? null : station.Constituencies.GetValueOrDefault(firstContest);
                IntakeRow Row(IntakeIssue issue, string? contest, string? hour, double? value, string detail) =>
                    new(station.Id, station.Number, station.RegionId, constituency, issue, contest, hour, value, detail);

                foreach (var h in hours)
                {
                    var from = HourStart(h);
                    var to = h == ReportingHours[^1] ? from.AddHours(4) : HourStart(ReportingHours[Array.IndexOf(ReportingHours, h) + 1]);
                    if (!state.Turnout.Any(t => t.AsOf >= from && t.AsOf < to))
                        rows.Add(Row(IntakeIssue.MissingTurnout, null, Label(h), null, $"no turnout report for {Label(h)}"));
                }
                var points = state.Turnout.OrderBy(t => t.AsOf).ThenBy(t => t.LedgerSeq).ToList();
                double? previous = null;
                DateTimeOffset previousAt = default;
                foreach (var p in points)
                {
                    var list = p.VotersOnList ?? station.VotersOnList;
                    if (list <= 0) continue;
                    var pct = 100.0 * p.VotersIssuedBallots / list;
                    if (previous is { } prev && pct - prev > JumpLimitPoints)
                        rows.Add(Row(IntakeIssue.TurnoutJump, null, Local(p.AsOf), pct - prev,
                            $"turnout {prev:0.#}% at {Local(previousAt)} -> {pct:0.#}% at {Local(p.AsOf)}"));
                    (previous, previousAt) = (pct, p.AsOf);
                }
                if (state.PublishedTurnout is { } latest)
                {
                    var list = latest.VotersOnList ?? station.VotersOnList;
                    if (list > 0 && latest.VotersIssuedBallots > TurnoutLimit * list)
                        rows.Add(Row(IntakeIssue.TurnoutOver95, null, Local(latest.AsOf), 100.0 * latest.VotersIssuedBallots / list,
                            $"turnout {100.0 * latest.VotersIssuedBallots / list:0.#}% of {list} on the list"));
                }
                foreach (var contestId in station.Constituencies.Keys.Order(StringComparer.Ordinal))
                {
                    var versions = state.Protocols.GetValueOrDefault(contestId);
                    var current = versions is { Count: > 0 } ? versions[^1] : null;
                    if (current is null)
                    {
                        if (closed) rows.Add(Row(IntakeIssue.MissingProtocol, contestId, null, null, $"no {contestId} protocol"));
                    }
                    else
                    {
                        if (current.Version > 1)
                            rows.Add(Row(IntakeIssue.Corrected, contestId, null, current.Version,
                                $"version {current.Version}: {current.Submission.Reason}"));
                        var votes = current.Submission.CandidateVotes;
                        var total = votes.Values.Sum(v => (long)v);
                        if (total > 0 && votes.MaxBy(kv => kv.Value) is var (candidate, top) && top > CandidateShareLimit * total)
                            rows.Add(Row(IntakeIssue.CandidateOver90, contestId, null, 100.0 * top / total,
                                $"candidate {candidate}: {100.0 * top / total:0.#}% of {total} candidate votes"));
                    }
                    if (state.LatestInvalidation(contestId) is { Invalidated: true } inv)
                        rows.Add(Row(IntakeIssue.Invalidated, contestId, null, null, $"invalidated by decision {inv.DecisionId}: {inv.Reason}"));
                }
            }
            return rows;
        });
    }

    private DateTimeOffset HourStart(int hour)
    {
        var day = TimeZoneInfo.ConvertTime(catalog.Election.PollsOpen, catalog.TimeZone).Date;
        var local = day.AddHours(hour);
        return new DateTimeOffset(local, catalog.TimeZone.GetUtcOffset(local));
    }

    private static string Label(int hour) => $"{hour:00}:00";

    private string Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, catalog.TimeZone).ToString("HH:mm", CultureInfo.InvariantCulture);

    // CSV injection: a cell starting with = + - @ is prefixed so a spreadsheet does not run it as a formula.
    private static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
