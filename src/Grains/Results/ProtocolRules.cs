using Portal.Grains.Model;

namespace Portal.Grains.Results;

/// <summary>The control relations of a station protocol (api.md section 2 "Station device API"; Art. 58, 94).</summary>
public static class ProtocolRules
{
    public static List<FieldError> Check(ProtocolSubmission p, ConstituencyDefinition constituency)
    {
        var errors = new List<FieldError>();
        long sum = 0;
        foreach (var votes in p.CandidateVotes.Values) sum += votes;
        if (sum + p.InvalidBallots != p.BallotsInBoxes)
            errors.Add(new FieldError("ballotsInBoxes", "control.sum",
                $"sum(candidateVotes) + invalidBallots = {sum + p.InvalidBallots} must equal ballotsInBoxes = {p.BallotsInBoxes}"));
        if (p.BallotsInBoxes > p.VotersIssuedBallots)
            errors.Add(new FieldError("ballotsInBoxes", "control.boxes",
                $"ballotsInBoxes = {p.BallotsInBoxes} must not exceed votersIssuedBallots = {p.VotersIssuedBallots}"));
        if (p.VotersIssuedBallots > p.VotersOnList)
            errors.Add(new FieldError("votersIssuedBallots", "control.issued",
                $"votersIssuedBallots = {p.VotersIssuedBallots} must not exceed votersOnList = {p.VotersOnList}"));
        if ((long)p.VotersIssuedBallots + p.SpoiledBallots + p.UnusedBallots != p.BallotsReceived)
            errors.Add(new FieldError("ballotsReceived", "control.received",
                $"votersIssuedBallots + spoiledBallots + unusedBallots = {(long)p.VotersIssuedBallots + p.SpoiledBallots + p.UnusedBallots} must equal ballotsReceived = {p.BallotsReceived}"));
        var expected = constituency.Candidates.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in expected.Where(id => !p.CandidateVotes.ContainsKey(id)).Order(StringComparer.Ordinal))
            errors.Add(new FieldError($"candidateVotes.{id}", "candidate.missing", $"candidate \"{id}\" of constituency {constituency.Id} is missing"));
        foreach (var id in p.CandidateVotes.Keys.Where(id => !expected.Contains(id)).Order(StringComparer.Ordinal))
            errors.Add(new FieldError($"candidateVotes.{id}", "candidate.unknown", $"\"{id}\" is not a candidate of constituency {constituency.Id}"));
        return errors;
    }
}
