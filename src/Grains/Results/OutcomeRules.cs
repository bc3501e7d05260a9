using Portal.Grains.Abstractions;

namespace Portal.Grains.Results;

/// <summary>
/// Art. 59, 96: more than half of the votes cast wins; otherwise a repeat vote between the top two; turnout below
/// 33% of the list means the election was not conducted. "Votes cast" are the voters who took part, counted by the
/// ballots issued to them (votersIssuedBallots). Decided only when every station not invalidated has reported.
/// </summary>
public static class OutcomeRules
{
    public const double MinimumTurnout = 0.33;

    public static Outcome Decide(Tally tally, int stationsReported, int stationsTotal)
    {
        var turnout = tally.VotersOnList == 0 ? 0 : (double)tally.VotersIssuedBallots / tally.VotersOnList;
        var percent = Math.Round(turnout * 100, 2);
        var ranked = tally.CandidateVotes.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        if (stationsReported < stationsTotal || stationsTotal == 0)
            return new Outcome(OutcomeKind.Pending, null, [], stationsReported, stationsTotal, percent);
        if (tally.VotersIssuedBallots < MinimumTurnout * tally.VotersOnList)
            return new Outcome(OutcomeKind.NotConducted, null, [], stationsReported, stationsTotal, percent);
        if (ranked.Count > 0 && ranked[0].Value * 2 > tally.VotersIssuedBallots)
            return new Outcome(OutcomeKind.Elected, ranked[0].Key, [], stationsReported, stationsTotal, percent);
        return new Outcome(OutcomeKind.RepeatVote, null, [.. ranked.Take(2).Select(kv => kv.Key)], stationsReported, stationsTotal, percent);
    }
}
