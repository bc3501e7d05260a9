using Portal.Grains.Results;

namespace Portal.Components.Shared;

/// <summary>One figure of a protocol that a later version changed.</summary>
public sealed record ProtocolChange(string Field, string? CandidateId, long? Before, long? After);

/// <summary>What changed between two versions of a station protocol: every field and every candidate's votes.</summary>
public static class ProtocolDiff
{
    public static readonly IReadOnlyList<string> Fields =
        ["votersOnList", "ballotsReceived", "votersIssuedBallots", "ballotsInBoxes", "invalidBallots", "spoiledBallots", "unusedBallots"];

    public static long Value(ProtocolSubmission p, string field) => field switch
    {
        "votersOnList" => p.VotersOnList,
        "ballotsReceived" => p.BallotsReceived,
        "votersIssuedBallots" => p.VotersIssuedBallots,
        "ballotsInBoxes" => p.BallotsInBoxes,
        "invalidBallots" => p.InvalidBallots,
        "spoiledBallots" => p.SpoiledBallots,
        "unusedBallots" => p.UnusedBallots,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not a protocol field"),
    };

    public static IReadOnlyList<ProtocolChange> Compare(ProtocolSubmission before, ProtocolSubmission after)
    {
        var changes = new List<ProtocolChange>();
        foreach (var field in Fields)
        {
            long a = Value(before, field), b = Value(after, field);
            if (a != b) changes.Add(new ProtocolChange(field, null, a, b));
        }
        foreach (var id in before.CandidateVotes.Keys.Union(after.CandidateVotes.Keys).Order(StringComparer.Ordinal))
        {
            long? a = before.CandidateVotes.TryGetValue(id, out var x) ? x : null;
            long? b = after.CandidateVotes.TryGetValue(id, out var y) ? y : null;
            if (a != b) changes.Add(new ProtocolChange("candidateVotes", id, a, b));
        }
        return changes;
    }
}
