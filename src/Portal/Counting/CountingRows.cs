using Portal.Grains.Abstractions;
using Portal.Grains.Counting;

namespace Portal.Counting;

/// <summary>A station's reporting window: counted ballots and coverage next to the official increase of voters issued ballots.</summary>
public sealed record CountingWindowRow(
    int Window, DateTimeOffset Start, DateTimeOffset End, int Counted, double Coverage, int ClipsPublished, int Clips,
    int? OfficialIncrease, bool BelowOfficial);

/// <summary>Joins the counting grain's windows with the station's official turnout reports (the rule is <see cref="CountingFlags"/>'s).</summary>
public static class CountingRows
{
    public static IReadOnlyList<CountingWindowRow> For(StationCounting counting, IReadOnlyList<TurnoutPoint> turnout)
    {
        var reports = turnout.Select(p => new OfficialReport(p.AsOf, p.LedgerSeq, p.VotersIssuedBallots)).ToList();
        return [.. counting.Windows.Select(w =>
        {
            var official = CountingFlags.OfficialIncrease(reports, w.Start, w.End);
            return new CountingWindowRow(w.Window, w.Start, w.End, w.Counted, Math.Round(w.Coverage, 4), w.ClipsPublished, w.Clips, official,
                CountingFlags.CountBelowOfficial(w.Coverage, w.Counted, official));
        })];
    }
}
