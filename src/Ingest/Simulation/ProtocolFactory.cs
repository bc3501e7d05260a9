using Portal.Grains.Model;

namespace Portal.Ingest.Simulation;

/// <summary>Generates realistic station figures that satisfy the control relations.</summary>
public static class ProtocolFactory
{
    /// <summary>Cumulative share of the final turnout reached by each official hour (10, 12, 14, 16, 18, 20): a morning rise, a lunch dip, an evening push.</summary>
    public static readonly (int Hour, double Share)[] TurnoutCurve = [(10, 0.22), (12, 0.45), (14, 0.60), (16, 0.74), (18, 0.88), (20, 1.0)];

    public static double FinalTurnout(Random random) => 0.55 + random.NextDouble() * 0.30;

    public static Dictionary<string, object?> Turnout(string submissionId, DateTimeOffset asOf, int issued, int? votersOnList) => new()
    {
        ["submissionId"] = submissionId, ["asOf"] = asOf.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
        ["votersIssuedBallots"] = issued, ["votersOnList"] = votersOnList,
    };

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
        return new Dictionary<string, object?>
        {
            ["submissionId"] = submissionId, ["contestId"] = contestId, ["votersOnList"] = votersOnList, ["ballotsReceived"] = received,
            ["votersIssuedBallots"] = issued, ["ballotsInBoxes"] = inBoxes, ["invalidBallots"] = invalid, ["spoiledBallots"] = spoiled,
            ["unusedBallots"] = unused, ["candidateVotes"] = votes, ["supersedes"] = supersedes, ["reason"] = reason,
        };
    }
}
