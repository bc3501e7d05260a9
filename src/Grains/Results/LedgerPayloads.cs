using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Portal.Grains.Results;

/// <summary>
/// The canonical JSON payloads of ledger entries: fixed field order, candidate ids sorted ordinally, compact,
/// times as ISO 8601 with the offset the device sent. The same submission always gives the same bytes, which is
/// also how "same content" is decided for idempotency.
/// </summary>
public static class LedgerPayloads
{
    public static string Turnout(TurnoutSubmission t, int? version) => Write(w =>
    {
        w.WriteString("submissionId", t.SubmissionId);
        w.WriteString("asOf", t.AsOf.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture));
        w.WriteNumber("votersIssuedBallots", t.VotersIssuedBallots);
        if (t.VotersOnList is { } list) w.WriteNumber("votersOnList", list); else w.WriteNull("votersOnList");
        if (version is { } v) w.WriteNumber("version", v);
    });

    public static string Protocol(ProtocolSubmission p, int? version) => Write(w =>
    {
        w.WriteString("submissionId", p.SubmissionId);
        w.WriteString("contestId", p.ContestId);
        w.WriteNumber("votersOnList", p.VotersOnList);
        w.WriteNumber("ballotsReceived", p.BallotsReceived);
        w.WriteNumber("votersIssuedBallots", p.VotersIssuedBallots);
        w.WriteNumber("ballotsInBoxes", p.BallotsInBoxes);
        w.WriteNumber("invalidBallots", p.InvalidBallots);
        w.WriteNumber("spoiledBallots", p.SpoiledBallots);
        w.WriteNumber("unusedBallots", p.UnusedBallots);
        w.WriteStartObject("candidateVotes");
        foreach (var (id, votes) in p.CandidateVotes.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteNumber(id, votes);
        w.WriteEndObject();
        if (p.Supersedes is null) w.WriteNull("supersedes"); else w.WriteString("supersedes", p.Supersedes);
        if (p.Reason is null) w.WriteNull("reason"); else w.WriteString("reason", p.Reason);
        if (version is { } v) w.WriteNumber("version", v);
    });

    public static string Invalidation(StationInvalidation i) => Write(w =>
    {
        w.WriteString("contestId", i.ContestId);
        w.WriteString("decisionId", i.DecisionId);
        w.WriteString("reason", i.Reason);
        w.WriteBoolean("invalidated", i.Invalidated);
    });

    public static (TurnoutSubmission Submission, int Version) ParseTurnout(string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var r = doc.RootElement;
        var list = r.GetProperty("votersOnList");
        return (new TurnoutSubmission(
            r.GetProperty("submissionId").GetString()!,
            r.GetProperty("asOf").GetDateTimeOffset(),
            r.GetProperty("votersIssuedBallots").GetInt32(),
            list.ValueKind == JsonValueKind.Null ? null : list.GetInt32()), r.GetProperty("version").GetInt32());
    }

    public static (ProtocolSubmission Submission, int Version) ParseProtocol(string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var r = doc.RootElement;
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in r.GetProperty("candidateVotes").EnumerateObject()) votes[c.Name] = c.Value.GetInt32();
        return (new ProtocolSubmission(
            r.GetProperty("submissionId").GetString()!, r.GetProperty("contestId").GetString()!,
            r.GetProperty("votersOnList").GetInt32(), r.GetProperty("ballotsReceived").GetInt32(),
            r.GetProperty("votersIssuedBallots").GetInt32(), r.GetProperty("ballotsInBoxes").GetInt32(),
            r.GetProperty("invalidBallots").GetInt32(), r.GetProperty("spoiledBallots").GetInt32(),
            r.GetProperty("unusedBallots").GetInt32(), votes,
            r.GetProperty("supersedes").GetString(), r.GetProperty("reason").GetString()), r.GetProperty("version").GetInt32());
    }

    public static StationInvalidation ParseInvalidation(string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var r = doc.RootElement;
        return new StationInvalidation(r.GetProperty("contestId").GetString()!, r.GetProperty("decisionId").GetString()!,
            r.GetProperty("reason").GetString()!, r.GetProperty("invalidated").GetBoolean());
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream(512);
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
