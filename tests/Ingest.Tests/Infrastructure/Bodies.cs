namespace Portal.Ingest.Tests.Infrastructure;

/// <summary>Valid request bodies for the test election, to be bent into bad ones.</summary>
public static class Bodies
{
    public static Dictionary<string, object?> Protocol(string submissionId, string? supersedes = null, string? reason = null, int c1 = 300) => new()
    {
        ["submissionId"] = submissionId, ["contestId"] = "legislative",
        ["votersOnList"] = 1000, ["ballotsReceived"] = 1010, ["votersIssuedBallots"] = 600, ["ballotsInBoxes"] = 598,
        ["invalidBallots"] = 8, ["spoiledBallots"] = 2, ["unusedBallots"] = 408,
        ["candidateVotes"] = new Dictionary<string, int> { ["c-1-1"] = c1, ["c-1-2"] = 200, ["c-1-3"] = 390 - c1 },
        ["supersedes"] = supersedes, ["reason"] = reason,
    };

    public static Dictionary<string, object?> With(this Dictionary<string, object?> body, string field, object? value)
    {
        var copy = new Dictionary<string, object?>(body) { [field] = value };
        return copy;
    }

    public static Dictionary<string, object?> Votes(this Dictionary<string, object?> body, Dictionary<string, int> votes) => body.With("candidateVotes", votes);

    public static Dictionary<string, object?> Turnout(string submissionId, int issued, DateTimeOffset asOf, int? list = null) => new()
    {
        ["submissionId"] = submissionId, ["asOf"] = asOf.ToString("yyyy-MM-dd'T'HH:mm:sszzz"), ["votersIssuedBallots"] = issued, ["votersOnList"] = list,
    };
}
