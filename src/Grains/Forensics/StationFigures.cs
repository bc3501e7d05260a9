using Portal.Grains.Results;

namespace Portal.Grains.Forensics;

/// <summary>
/// What the statistics need of one station's latest protocol in one contest, computed once per protocol version (the
/// binomial sums are the costly part): a selection's statistics are then sums over these.
/// </summary>
public sealed class StationFigures
{
    private Dictionary<string, (bool Whole, double Probability)>? _leaderWhole;

    public StationFigures(ProtocolSubmission protocol, int version, IReadOnlyDictionary<string, string> partyOfCandidate)
    {
        Version = version;
        VotersOnList = protocol.VotersOnList;
        VotersIssuedBallots = protocol.VotersIssuedBallots;
        ValidVotes = Math.Max(0, protocol.BallotsInBoxes - protocol.InvalidBallots);
        TurnoutPercent = VotersOnList == 0 ? 0 : 100.0 * VotersIssuedBallots / VotersOnList;
        if (VotersOnList >= ForensicMath.MinWholePercentDenominator)
        {
            TurnoutWhole = ForensicMath.IsWholePercent(VotersIssuedBallots, VotersOnList);
            TurnoutWholeProbability = ForensicMath.WholePercentProbability(VotersIssuedBallots, VotersOnList);
        }
        var parties = new Dictionary<string, int>(StringComparer.Ordinal);
        var digits = new int[10];
        foreach (var (candidate, votes) in protocol.CandidateVotes)
        {
            var party = partyOfCandidate.GetValueOrDefault(candidate) ?? candidate;
            parties[party] = parties.GetValueOrDefault(party) + votes;
            if (votes >= LastDigitMinimum) digits[votes % 10]++;
        }
        PartyVotes = parties;
        LastDigits = digits;
    }

    /// <summary>Beber and Scacco: tallies below 10 have a last digit that is mostly the number itself, not noise.</summary>
    public const int LastDigitMinimum = 10;

    public int Version { get; }
    public int VotersOnList { get; }
    public int VotersIssuedBallots { get; }
    public int ValidVotes { get; }
    public double TurnoutPercent { get; }

    /// <summary>Null when the list is too short for the test (<see cref="ForensicMath.MinWholePercentDenominator"/>).</summary>
    public bool? TurnoutWhole { get; }
    public double TurnoutWholeProbability { get; }

    /// <summary>Votes per party (a constituency has one candidate per party; an independent counts as its own id).</summary>
    public IReadOnlyDictionary<string, int> PartyVotes { get; }

    /// <summary>How many candidate tallies of 10 or more end in each digit.</summary>
    public IReadOnlyList<int> LastDigits { get; }

    /// <summary>The party's share of the valid votes in percent; null where it has no candidate or nobody voted validly.</summary>
    public double? ShareOf(string party) =>
        ValidVotes > 0 && PartyVotes.TryGetValue(party, out var votes) ? 100.0 * votes / ValidVotes : null;

    /// <summary>Whether the party's tally is a whole percentage of the valid votes, and the chance of that; null if not tested.</summary>
    public (bool Whole, double Probability)? LeaderWhole(string party)
    {
        if (ValidVotes < ForensicMath.MinWholePercentDenominator || !PartyVotes.TryGetValue(party, out var votes)) return null;
        // Computed once per party asked for (a selection has one leader, so usually once); the model is single-threaded.
        _leaderWhole ??= new Dictionary<string, (bool Whole, double Probability)>(1, StringComparer.Ordinal);
        if (!_leaderWhole.TryGetValue(party, out var result))
            _leaderWhole[party] = result = (ForensicMath.IsWholePercent(votes, ValidVotes), ForensicMath.WholePercentProbability(votes, ValidVotes));
        return result;
    }
}
