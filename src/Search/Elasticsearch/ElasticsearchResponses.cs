using System.Globalization;
using System.Text;
using System.Text.Json;
using Portal.Search.Documents;
using Portal.Search.Text;

namespace Portal.Search.Elasticsearch;

/// <summary>
/// Reads Elasticsearch's answers: search hits with their highlights and the per-type aggregation, bulk results, and
/// error bodies (<c>{"error":{"type","reason"},"status"}</c>).
/// </summary>
internal static class ElasticsearchResponses
{
    public static SearchResults ReadSearch(string json, SearchRequest request, SearchIndexState state)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var hits = root.GetProperty("hits");
        var counts = SearchDocumentTypes.All.ToDictionary(t => t.ToWire(), _ => 0);
        if (root.TryGetProperty("aggregations", out var aggregations) && aggregations.TryGetProperty("types", out var types))
            foreach (var bucket in types.GetProperty("buckets").EnumerateArray())
                if (bucket.GetProperty("key").GetString() is { } key && counts.ContainsKey(key))
                    counts[key] = bucket.GetProperty("doc_count").GetInt32();
        var cultures = SearchCultures.Order(request);
        return new SearchResults
        {
            Query = request.Query ?? "",
            Page = request.Page,
            PageSize = request.PageSize,
            Total = hits.GetProperty("total").GetProperty("value").GetInt32(),
            Counts = counts,
            Hits = [.. hits.GetProperty("hits").EnumerateArray().Select(hit => ReadHit(hit, cultures))],
            IndexState = state,
        };
    }

    private static SearchHit ReadHit(JsonElement hit, string[] cultures)
    {
        var source = hit.GetProperty("_source");
        var highlight = hit.TryGetProperty("highlight", out var h) ? h : default;
        var titles = Texts(source, "title");
        var bodies = Texts(source, "body");

        // The culture shown is the one with the most matches (a title match counts twice), the likeliest first on a tie:
        // the Lucene backend's rule.
        (string Culture, string Title, string Body, List<(int, int)> TitleSpans, List<(int, int)> BodySpans, int Matches)? best = null;
        foreach (var culture in cultures)
        {
            if (!titles.TryGetValue(culture, out var title)) continue;
            var body = bodies.GetValueOrDefault(culture, "");
            var titleSpans = Spans(highlight, "title", culture, title);
            var bodySpans = Spans(highlight, "body", culture, body);
            var matches = titleSpans.Count * 2 + bodySpans.Count;
            if (best is null || matches > best.Value.Matches) best = (culture, title, body, titleSpans, bodySpans, matches);
        }
        best ??= ("uz", String(source, "id") ?? "", "", [], [], 0);

        var details = new Dictionary<string, string>();
        if (source.TryGetProperty("details", out var detailObject) && detailObject.ValueKind == JsonValueKind.Object)
            foreach (var property in detailObject.EnumerateObject())
                if (property.Value.ValueKind == JsonValueKind.String) details[property.Name] = property.Value.GetString()!;
        SearchDocumentTypes.TryParse(String(source, "type"), out var type);
        return new SearchHit
        {
            Type = type,
            Id = String(source, "id") ?? "",
            Url = String(source, "url"),
            Language = best.Value.Culture,
            Title = HighlightMarkup.Mark(best.Value.Title, best.Value.TitleSpans),
            Snippet = HighlightMarkup.Snippet(best.Value.Body, best.Value.BodySpans, HighlightMarkup.SnippetLength),
            RegionId = String(source, "region"),
            Date = String(source, "date") is { } date && DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null,
            Score = hit.TryGetProperty("_score", out var score) && score.ValueKind == JsonValueKind.Number ? score.GetSingle() : 0,
            Details = details,
        };
    }

    private static Dictionary<string, string> Texts(JsonElement source, string part)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (source.TryGetProperty(part, out var obj) && obj.ValueKind == JsonValueKind.Object)
            foreach (var property in obj.EnumerateObject())
                if (property.Value.ValueKind == JsonValueKind.String) texts[property.Name] = property.Value.GetString()!;
        return texts;
    }

    /// <summary>The matched spans of a culture's text, from the highlights of its folded and stemmed fields.</summary>
    private static List<(int Start, int End)> Spans(JsonElement highlight, string part, string culture, string text)
    {
        var spans = new List<(int Start, int End)>();
        if (highlight.ValueKind != JsonValueKind.Object || text.Length == 0) return spans;
        foreach (var field in new[] { $"{part}.{culture}", $"{part}.{culture}.{ElasticsearchSchema.StemSubfield}" })
            if (highlight.TryGetProperty(field, out var fragments))
                foreach (var fragment in fragments.EnumerateArray())
                    if (fragment.GetString() is { } marked) spans.AddRange(MarkedSpans(marked, text));
        return HighlightMarkup.Merge([.. spans.Select(s => HighlightMarkup.Trim(text, s.Start, s.End)).Where(s => s.End > s.Start)]);
    }

    /// <summary>
    /// The spans between the sentinels of a highlighted field (returned whole: number_of_fragments 0). The text without
    /// the sentinels must be the stored text, else no span is trusted.
    /// </summary>
    internal static List<(int Start, int End)> MarkedSpans(string marked, string text)
    {
        var spans = new List<(int Start, int End)>();
        var plain = new StringBuilder(text.Length);
        var start = -1;
        foreach (var c in marked)
        {
            if (c == ElasticsearchQuery.MarkStart) start = plain.Length;
            else if (c == ElasticsearchQuery.MarkEnd)
            {
                if (start >= 0 && plain.Length > start) spans.Add((start, plain.Length));
                start = -1;
            }
            else plain.Append(c);
        }
        return plain.ToString() == text ? spans : [];
    }

    /// <summary>The first failed item of a bulk response, or null when every item succeeded.</summary>
    public static string? BulkFailure(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (!root.TryGetProperty("errors", out var errors) || !errors.GetBoolean()) return null;
        var failed = 0;
        string? first = null;
        foreach (var item in root.GetProperty("items").EnumerateArray())
            foreach (var action in item.EnumerateObject())
                if (action.Value.TryGetProperty("error", out var error))
                {
                    failed++;
                    first ??= $"{action.Value.GetProperty("_id").GetString()}: {Error(error)}";
                }
        return $"{failed} of the bulk's documents were refused, the first {first}";
    }

    /// <summary>The error of an error response as "type: reason" (root cause first), or null when the body has none.</summary>
    public static (string Type, string Reason)? ReadError(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("error", out var error)) return null;
            if (error.ValueKind == JsonValueKind.String) return ("error", error.GetString() ?? "");
            var cause = error.TryGetProperty("root_cause", out var causes) && causes.ValueKind == JsonValueKind.Array && causes.GetArrayLength() > 0
                ? causes[0] : error;
            return (String(cause, "type") ?? String(error, "type") ?? "error", String(cause, "reason") ?? String(error, "reason") ?? "");
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Error(JsonElement error) =>
        error.ValueKind == JsonValueKind.Object ? $"{String(error, "type")}: {String(error, "reason")}" : error.ToString();

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
