using Portal.Grains.Abstractions;
using Portal.Grains.Counting;

namespace Portal.Counting;

/// <summary>A station's reporting window: counted ballots and coverage next to the official increase of voters issued ballots.</summary>
public sealed record CountingWindowRow(
    int Window, DateTimeOffset Start, DateTimeOffset End, int Counted, double Coverage, int ClipsPublished, int Clips,
    int? OfficialIncrease, bool BelowOfficial);

/// <summary>Joins the counting grain's windows with the station's official turnout reports.</summary>
public static class CountingRows
{
    public static IReadOnlyList<CountingWindowRow> For(StationCounting counting, IReadOnlyList<TurnoutPoint> turnout) =>
        [.. counting.Windows.Select(w =>
        {
            var official = OfficialIncrease(turnout, w.Start, w.End);
            return new CountingWindowRow(w.Window, w.Start, w.End, w.Counted, Math.Round(w.Coverage, 4), w.ClipsPublished, w.Clips, official,
                CountingFlags.CountBelowOfficial(w.Coverage, w.Counted, official));
        })];

    /// <summary>
    /// The official increase over a window: voters issued ballots at the last report in it minus at the last report before
    /// it (0 at opening); null while no report falls in the window.
    /// </summary>
    public static int? OfficialIncrease(IReadOnlyList<TurnoutPoint> turnout, DateTimeOffset start, DateTimeOffset end)
    {
        var ordered = turnout.OrderBy(p => p.AsOf).ThenBy(p => p.LedgerSeq).ToList();
        var atEnd = ordered.LastOrDefault(p => p.AsOf > start && p.AsOf <= end);
        if (atEnd is null) return null;
        var before = ordered.LastOrDefault(p => p.AsOf <= start)?.VotersIssuedBallots ?? 0;
        return atEnd.VotersIssuedBallots - before;
    }
}
