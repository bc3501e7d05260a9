namespace Portal.Grains.Counting;

/// <summary>One official turnout report as the counting flag needs it: when, its ledger order, voters issued ballots.</summary>
public readonly record struct OfficialReport(DateTimeOffset AsOf, long LedgerSeq, int VotersIssuedBallots);

/// <summary>
/// The statistics flag of counted video (api.md section 6, docs/counting.md), shared by the counting API, the station page
/// and the forensics report, so all three judge a window the same way.
/// </summary>
public static class CountingFlags
{
    public const string VideoCountBelowOfficial = "video-count-below-official";
    public const double MinCoverage = 0.8;
    public const double Excess = 0.2;

    /// <summary>
    /// At least 80 % of the window counted and the official increase more than 20 % above the count (scaled up to the
    /// whole window, so 80 % coverage of an honest window is not a flag).
    /// </summary>
    public static bool CountBelowOfficial(double coverage, int counted, int? officialIncrease) =>
        officialIncrease is { } official && coverage >= MinCoverage && official > (1 + Excess) * (counted / coverage);

    /// <summary>
    /// The official increase over a window: voters issued ballots at the last report in it minus at the last report before
    /// it (0 at opening); null while no report falls in the window.
    /// </summary>
    public static int? OfficialIncrease(IEnumerable<OfficialReport> reports, DateTimeOffset start, DateTimeOffset end)
    {
        var ordered = reports.OrderBy(p => p.AsOf).ThenBy(p => p.LedgerSeq).ToList();
        var atEnd = ordered.LastOrDefault(p => p.AsOf > start && p.AsOf <= end);
        if (atEnd == default) return null;
        var before = ordered.LastOrDefault(p => p.AsOf <= start);
        return atEnd.VotersIssuedBallots - (before == default ? 0 : before.VotersIssuedBallots);
    }

    /// <summary>Whether any window of the station's counting is flagged against these reports.</summary>
    public static bool AnyWindowBelowOfficial(IEnumerable<Abstractions.WindowCount> windows, IReadOnlyCollection<OfficialReport> reports) =>
        windows.Any(w => CountBelowOfficial(w.Coverage, w.Counted, OfficialIncrease(reports, w.Start, w.End)));
}
