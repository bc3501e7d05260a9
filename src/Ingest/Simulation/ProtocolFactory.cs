using Portal.Grains.Model;

namespace Portal.Ingest.Simulation;

/// <summary>Generates realistic station figures that satisfy the control relations.</summary>
public static class ProtocolFactory
{
    /// <summary>Cumulative share of the final turnout reached by each official hour (10, 12, 14, 16, 18, 20): a morning rise, a lunch dip, an evening push.</summary>
    public static readonly (int Hour, double Share)[] TurnoutCurve = Portal.Grains.Demo.DemoTurnout.Curve;

    public static double FinalTurnout(Random random) => Portal.Grains.Demo.DemoTurnout.FinalTurnout(random);

    public static Dictionary<string, object?> Turnout(string submissionId, DateTimeOffset asOf, int issued, int? votersOnList) => new()
    {
        ["submissionId"] = submissionId, ["asOf"] = asOf.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
        ["votersIssuedBallots"] = issued, ["votersOnList"] = votersOnList,
    };

    /// <summary>
    /// A stuffed protocol: ballots added for <paramref name="favouredId"/> until 96-100 % of the list took part, and most of
    /// the others' votes moved to it. The control relations still hold: stuffing that breaks them is caught at intake.
    /// </summary>
    public static Dictionary<string, object?> Stuffed(Random random, string submissionId, string contestId, int votersOnList,
        IReadOnlyList<CandidateDefinition> candidates, string favouredId, string? supersedes = null, string? reason = null)
    {
        var issued = (int)Math.Round(votersOnList * (0.96 + random.NextDouble() * 0.04));
        var inBoxes = Math.Max(0, issued - random.Next(0, 3));
        var invalid = Math.Min(inBoxes, random.Next(0, 4));
        var valid = inBoxes - invalid;
        var others = (int)(valid * (0.01 + random.NextDouble() * 0.05));
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        var rest = candidates.Where(c => c.Id != favouredId).ToList();
        for (var i = 0; i < rest.Count; i++) votes[rest[i].Id] = others / rest.Count + (i < others % rest.Count ? 1 : 0);
        votes[favouredId] = valid - others;
        var spoiled = random.Next(0, 3);
        var received = Math.Max(votersOnList, issued + spoiled);
        return Body(submissionId, contestId, votersOnList, received, issued, inBoxes, invalid, spoiled, received - issued - spoiled, votes, supersedes, reason);
    }

    /// <summary>The count of the whole percentage nearest <paramref name="turnout"/>, as a turnout again (a tie at .5 goes to the lower count).</summary>
    public static double WholePercentTurnout(int votersOnList, double turnout)
    {
        var k = Math.Round(turnout * 100);
        return Math.Ceiling(votersOnList * k / 100 - 0.5) / votersOnList;
    }

    /// <summary>Every candidate's tally rounded to a multiple of 5 (down where rounding up would need more ballots than were issued).</summary>
    public static Dictionary<string, object?> RoundTallies(Dictionary<string, object?> body)
    {
        var votes = ((Dictionary<string, int>)body["candidateVotes"]!).ToDictionary(kv => kv.Key, kv => (int)Math.Round(kv.Value / 5.0) * 5, StringComparer.Ordinal);
        var invalid = (int)body["invalidBallots"]!;
        var issued = (int)body["votersIssuedBallots"]!;
        foreach (var id in votes.Keys.Order(StringComparer.Ordinal).ToList())
            if (votes.Values.Sum() + invalid > issued && votes[id] >= 5) votes[id] -= 5;
        var copy = new Dictionary<string, object?>(body) { ["candidateVotes"] = votes, ["ballotsInBoxes"] = votes.Values.Sum() + invalid };
        return copy;
    }

    /// <summary>A protocol body (as a dictionary in the contract's field names) for one station and contest.</summary>
    public static Dictionary<string, object?> Protocol(Random random, string submissionId, string contestId, int votersOnList, double turnout,
        IReadOnlyList<CandidateDefinition> candidates, string? supersedes = null, string? reason = null)
    {
        var issued = (int)Math.Round(votersOnList * turnout);
        var inBoxes = Math.Max(0, issued - random.Next(0, Math.Max(1, issued / 200 + 1)));
        var invalid = Math.Min(inBoxes, random.Next(0, Math.Max(1, inBoxes / 60 + 1)));
        var spoiled = random.Next(0, 6);
        var received = votersOnList + random.Next(0, Math.Max(1, votersOnList / 50 + 1));
        var unused = received - issued - spoiled;
        if (unused < 0) { received -= unused; unused = 0; }
        var weights = candidates.Select(_ => 0.2 + random.NextDouble() * random.NextDouble() * 3).ToArray();
        var total = weights.Sum();
        var valid = inBoxes - invalid;
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        var left = valid;
        for (var i = 0; i < candidates.Count; i++)
        {
            var v = i == candidates.Count - 1 ? left : Math.Min(left, (int)Math.Floor(valid * weights[i] / total));
            votes[candidates[i].Id] = v;
            left -= v;
        }
        return Body(submissionId, contestId, votersOnList, received, issued, inBoxes, invalid, spoiled, unused, votes, supersedes, reason);
    }

    private static Dictionary<string, object?> Body(string submissionId, string contestId, int votersOnList, int received, int issued, int inBoxes,
        int invalid, int spoiled, int unused, Dictionary<string, int> votes, string? supersedes, string? reason) => new()
    {
        ["submissionId"] = submissionId, ["contestId"] = contestId, ["votersOnList"] = votersOnList, ["ballotsReceived"] = received,
        ["votersIssuedBallots"] = issued, ["ballotsInBoxes"] = inBoxes, ["invalidBallots"] = invalid, ["spoiledBallots"] = spoiled,
        ["unusedBallots"] = unused, ["candidateVotes"] = votes, ["supersedes"] = supersedes, ["reason"] = reason,
    };
}
