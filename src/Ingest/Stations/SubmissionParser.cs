using System.Globalization;
using System.Text.Json;
using Portal.Grains.Results;

namespace Portal.Ingest.Stations;

/// <summary>Reads the station API bodies with field-level errors (400: not JSON, wrong types, out-of-range numbers).</summary>
public static class SubmissionParser
{
    private const int MaxIdLength = 128;
    private const int MaxReasonLength = 2000;

    public static TurnoutSubmission? ParseTurnout(ReadOnlyMemory<byte> body, List<FieldError> errors)
    {
        using var doc = Open(body, errors);
        if (doc is null) return null;
        var r = doc.RootElement;
        var submissionId = Id(r, "submissionId", errors);
        var asOf = Time(r, "asOf", errors);
        var issued = Count(r, "votersIssuedBallots", required: true, errors);
        var list = Count(r, "votersOnList", required: false, errors);
        return errors.Count > 0 ? null : new TurnoutSubmission(submissionId!, asOf!.Value, issued!.Value, list);
    }

    public static ProtocolSubmission? ParseProtocol(ReadOnlyMemory<byte> body, List<FieldError> errors)
    {
        using var doc = Open(body, errors);
        if (doc is null) return null;
        var r = doc.RootElement;
        var submissionId = Id(r, "submissionId", errors);
        var contestId = Id(r, "contestId", errors);
        int? C(string name) => Count(r, name, required: true, errors);
        var (list, received, issued, boxes, invalid, spoiled, unused) =
            (C("votersOnList"), C("ballotsReceived"), C("votersIssuedBallots"), C("ballotsInBoxes"), C("invalidBallots"), C("spoiledBallots"), C("unusedBallots"));
        var votes = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!r.TryGetProperty("candidateVotes", out var cv) || cv.ValueKind == JsonValueKind.Null)
            errors.Add(new FieldError("candidateVotes", "required", "candidateVotes is required"));
        else if (cv.ValueKind != JsonValueKind.Object)
            errors.Add(new FieldError("candidateVotes", "type", "candidateVotes must be an object of candidate id -> votes"));
        else
            foreach (var c in cv.EnumerateObject())
                if (CountValue(c.Value, $"candidateVotes.{c.Name}", errors) is { } v) votes[c.Name] = v;
        string? supersedes = null;
        if (r.TryGetProperty("supersedes", out var s))
            switch (s.ValueKind)
            {
                case JsonValueKind.Null: break;
                case JsonValueKind.String when s.GetString()!.Length is > 0 and <= MaxIdLength: supersedes = s.GetString(); break;
                case JsonValueKind.Number when s.TryGetInt32(out var version) && version > 0: supersedes = version.ToString(CultureInfo.InvariantCulture); break;
                default: errors.Add(new FieldError("supersedes", "type", "supersedes must be null, the superseded submissionId or its version number")); break;
            }
        string? reason = null;
        if (r.TryGetProperty("reason", out var why))
            switch (why.ValueKind)
            {
                case JsonValueKind.Null: break;
                case JsonValueKind.String when why.GetString()!.Length <= MaxReasonLength: reason = why.GetString(); break;
                default: errors.Add(new FieldError("reason", "type", $"reason must be null or a string of at most {MaxReasonLength} characters")); break;
            }
        return errors.Count > 0 ? null : new ProtocolSubmission(submissionId!, contestId!, list!.Value, received!.Value, issued!.Value, boxes!.Value,
            invalid!.Value, spoiled!.Value, unused!.Value, votes, supersedes, reason);
    }

    private static JsonDocument? Open(ReadOnlyMemory<byte> body, List<FieldError> errors)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            errors.Add(new FieldError("$", "json", $"the body is not valid JSON: {e.Message}"));
            return null;
        }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("$", "type", "the body must be a JSON object"));
            doc.Dispose();
            return null;
        }
        return doc;
    }

    private static string? Id(JsonElement r, string name, List<FieldError> errors)
    {
        if (!r.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            errors.Add(new FieldError(name, "required", $"{name} is required"));
        else if (v.ValueKind != JsonValueKind.String)
            errors.Add(new FieldError(name, "type", $"{name} must be a string"));
        else if (v.GetString() is not { Length: > 0 and <= MaxIdLength } text || text.Any(char.IsControl))
            errors.Add(new FieldError(name, "format", $"{name} must be 1 to {MaxIdLength} printable characters"));
        else return v.GetString();
        return null;
    }

    private static DateTimeOffset? Time(JsonElement r, string name, List<FieldError> errors)
    {
        if (!r.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            errors.Add(new FieldError(name, "required", $"{name} is required"));
        else if (v.ValueKind != JsonValueKind.String)
            errors.Add(new FieldError(name, "type", $"{name} must be an ISO 8601 time string with offset"));
        else if (!DateTimeOffset.TryParseExact(v.GetString(), ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:ssZ", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFZ"],
                     CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            errors.Add(new FieldError(name, "format", $"{name} must be ISO 8601 with an offset, e.g. 2024-10-27T10:00:00+05:00"));
        else return time;
        return null;
    }

    private static int? Count(JsonElement r, string name, bool required, List<FieldError> errors)
    {
        if (!r.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            if (required) errors.Add(new FieldError(name, "required", $"{name} is required"));
            return null;
        }
        return CountValue(v, name, errors);
    }

    private static int? CountValue(JsonElement v, string name, List<FieldError> errors)
    {
        if (v.ValueKind != JsonValueKind.Number)
            errors.Add(new FieldError(name, "type", $"{name} must be a whole number"));
        else if (!v.TryGetDecimal(out var d) || d != decimal.Truncate(d))
            errors.Add(new FieldError(name, d != decimal.Truncate(d) ? "type" : "range", $"{name} must be a whole number from 0 to {int.MaxValue}"));
        else if (d < 0 || d > int.MaxValue)
            errors.Add(new FieldError(name, "range", $"{name} must be from 0 to {int.MaxValue}"));
        else return (int)d;
        return null;
    }
}
