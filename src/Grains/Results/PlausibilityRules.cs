using System.Globalization;
using Portal.Grains.Model;

namespace Portal.Grains.Results;

/// <summary>
/// What a signed report may claim (docs/ledger.md "Plausibility"): devices fail, so a valid signature is not a plausible
/// figure. Counts bounded by the list may exceed the station's list only by the annex (Art. 52: voters missing from the
/// list who prove identity, citizenship and residence on the day); a turnout report is dated within the voting day as
/// the election clock knows it. Any failure is 422 and nothing is stored.
/// </summary>
public static class PlausibilityRules
{
    /// <summary>
    /// The Code sets no size for the annex. The list is checked door to door (Art. 28) and closed three days before the
    /// election (Art. 29), so the annex holds the few voters it missed: a quarter of the list is far above that, and far
    /// below what a faulty device sends (an overflow, an extra digit, a swapped field).
    /// </summary>
    public const double AnnexShare = 0.25;

    /// <summary>Small stations (hospitals, military units, Art. 27) can see a few admissions be a large share of their list.</summary>
    public const int AnnexMinimum = 50;

    /// <summary>The most voters a station with <paramref name="list"/> voters on its list can have with the annex.</summary>
    public static long MaxVotersWithAnnex(int list) => list + Math.Max((long)Math.Ceiling(list * AnnexShare), AnnexMinimum);

    public static string DescribeBound(StationDefinition station) => string.Create(CultureInfo.InvariantCulture,
        $"at most {MaxVotersWithAnnex(station.VotersOnList)}: the station's list of {station.VotersOnList} plus an annex of at most {AnnexShare:P0} of it (at least {AnnexMinimum}), Art. 52");

    /// <summary>
    /// A turnout report: votersOnList (list with the annex) within the bound; votersIssuedBallots within votersOnList, or
    /// within the station's list when the report gives none (voters of the annex must be counted in votersOnList, so a
    /// published turnout never exceeds 100 %); asOf from polls open to the election clock's now plus the signature window.
    /// </summary>
    public static List<FieldError> CheckTurnout(TurnoutSubmission t, StationDefinition station, DateTimeOffset pollsOpen, DateTimeOffset electionNow, TimeSpan window)
    {
        var errors = new List<FieldError>();
        var max = MaxVotersWithAnnex(station.VotersOnList);
        if (t.VotersOnList is { } reported && reported > max)
            errors.Add(new FieldError("votersOnList", "annex.bound", $"votersOnList = {reported} is implausible for station {station.Id}: {DescribeBound(station)}"));
        else if (t.VotersOnList is { } list && t.VotersIssuedBallots > list)
            errors.Add(new FieldError("votersIssuedBallots", "control.issued", $"votersIssuedBallots = {t.VotersIssuedBallots} must not exceed votersOnList = {list}"));
        else if (t.VotersOnList is null && t.VotersIssuedBallots > max)
            errors.Add(new FieldError("votersIssuedBallots", "annex.bound",
                $"votersIssuedBallots = {t.VotersIssuedBallots} is implausible for station {station.Id}: {DescribeBound(station)}"));
        else if (t.VotersOnList is null && t.VotersIssuedBallots > station.VotersOnList)
            errors.Add(new FieldError("votersIssuedBallots", "control.issued",
                $"votersIssuedBallots = {t.VotersIssuedBallots} exceeds the station's list of {station.VotersOnList}; report the list with the annex in votersOnList ({DescribeBound(station)})"));
        var latest = electionNow + window;
        if (t.AsOf > latest)
            errors.Add(new FieldError("asOf", "future", string.Create(CultureInfo.InvariantCulture,
                $"asOf {t.AsOf:O} is later than the election clock ({electionNow:O}) plus {window.TotalSeconds:F0} s")));
        else if (t.AsOf < pollsOpen)
            errors.Add(new FieldError("asOf", "before-polls-open", string.Create(CultureInfo.InvariantCulture,
                $"asOf {t.AsOf:O} is before polls open at {pollsOpen:O}")));
        return errors;
    }

    /// <summary>The signature window the intake applies to request timestamps, and to <c>asOf</c> against the election clock.</summary>
    public static readonly TimeSpan ClockWindow = TimeSpan.FromSeconds(300);

    /// <summary>
    /// Whether a stored turnout report may be published: the rules above, for entries accepted before they existed (a
    /// ledger is never rewritten, so an old report of 2,147,483,647 ballots or from 2099 stays in it, but not on a page).
    /// Time is judged against the later of <paramref name="electionNow"/> and polls close, so a demo day replayed from
    /// 07:30 over a kept ledger does not hide its own evening.
    /// </summary>
    public static bool IsPublishable(DateTimeOffset asOf, int issued, int? votersOnList, StationDefinition station, ElectionDefinition election, DateTimeOffset electionNow)
    {
        var latest = (electionNow > election.PollsClose ? electionNow : election.PollsClose) + ClockWindow;
        return asOf >= election.PollsOpen && asOf <= latest
            && (votersOnList ?? station.VotersOnList) <= MaxVotersWithAnnex(station.VotersOnList)
            && issued <= (votersOnList ?? station.VotersOnList);
    }

    /// <summary>A protocol: votersOnList (list with the annex) within the bound; the control relations (<see cref="ProtocolRules"/>) bound the rest by it.</summary>
    public static List<FieldError> CheckProtocol(ProtocolSubmission p, StationDefinition station)
    {
        var errors = new List<FieldError>();
        if (p.VotersOnList > MaxVotersWithAnnex(station.VotersOnList))
            errors.Add(new FieldError("votersOnList", "annex.bound", $"votersOnList = {p.VotersOnList} is implausible for station {station.Id}: {DescribeBound(station)}"));
        return errors;
    }
}
