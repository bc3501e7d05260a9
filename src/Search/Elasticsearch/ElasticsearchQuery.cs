using System.Globalization;
using System.Text.Json.Nodes;
using Portal.Search.Documents;
using Portal.Search.Text;

namespace Portal.Search.Elasticsearch;

/// <summary>
/// Translates a <see cref="SearchRequest"/> and its parsed query (<see cref="UserQuery"/>) into a search body: the
/// query and the region and date filters in <c>query</c>, the type filter in <c>post_filter</c> so the per-type
/// <c>types</c> aggregation counts every type, highlights marked with private-use sentinels (the text is escaped and
/// marked by <see cref="HighlightMarkup"/>, as the Lucene backend's), sorted like the Lucene backend.
/// </summary>
internal static class ElasticsearchQuery
{
    /// <summary>Private-use characters around a highlighted word; no text of ours contains them (they are stripped at indexing).</summary>
    public const char MarkStart = '\uE000';
    public const char MarkEnd = '\uE001';

    public static JsonObject SearchBody(SearchRequest request, QueryNode? query)
    {
        var filters = new JsonArray();
        if (!string.IsNullOrWhiteSpace(request.RegionId))
            filters.Add(new JsonObject { ["term"] = new JsonObject { ["region"] = request.RegionId.Trim() } });
        if (request.From is not null || request.To is not null)
        {
            var range = new JsonObject();
            if (request.From is { } from) range["gte"] = Date(from);
            if (request.To is { } to) range["lte"] = Date(to);
            range["format"] = "yyyy-MM-dd";
            filters.Add(new JsonObject { ["range"] = new JsonObject { ["date"] = range } });
        }
        var body = new JsonObject
        {
            ["from"] = (request.Page - 1) * request.PageSize,
            ["size"] = request.PageSize,
            ["track_total_hits"] = true,
            ["query"] = new JsonObject
            {
                ["bool"] = new JsonObject
                {
                    ["must"] = query is null ? new JsonObject { ["match_all"] = new JsonObject() } : Translate(query, QueryOccur.Must),
                    ["filter"] = filters,
                },
            },
        };
        var types = request.Types.Distinct().ToList();
        if (types.Count > 0 && types.Count < SearchDocumentTypes.All.Count)
            body["post_filter"] = new JsonObject { ["terms"] = new JsonObject { ["type"] = new JsonArray([.. types.Select(t => (JsonNode)t.ToWire())]) } };
        // Ties are broken by the unique key, so pages are stable for one index state.
        body["sort"] = query is not null
            ? new JsonArray("_score", new JsonObject { ["key"] = "asc" })
            : new JsonArray(new JsonObject { ["date"] = new JsonObject { ["order"] = "desc", ["missing"] = "_last" } }, new JsonObject { ["key"] = "asc" });
        body["aggs"] = new JsonObject
        {
            ["types"] = new JsonObject { ["terms"] = new JsonObject { ["field"] = "type", ["size"] = SearchDocumentTypes.All.Count } },
        };
        if (query is not null) body["highlight"] = Highlight();
        return body;
    }

    private static JsonObject Highlight()
    {
        var fields = new JsonObject();
        foreach (var field in ElasticsearchSchema.HighlightFields()) fields[field] = new JsonObject();
        return new JsonObject
        {
            ["type"] = "unified",
            // The whole text comes back marked; the snippet is cut by HighlightMarkup as for the Lucene backend.
            ["number_of_fragments"] = 0,
            ["require_field_match"] = true,
            ["pre_tags"] = new JsonArray(MarkStart.ToString()),
            ["post_tags"] = new JsonArray(MarkEnd.ToString()),
            ["fields"] = fields,
        };
    }

    /// <summary>One node of the parsed query as query DSL; <paramref name="occur"/> is how it takes part in its parent.</summary>
    internal static JsonObject Translate(QueryNode node, QueryOccur occur) => node switch
    {
        TextNode text => new JsonObject
        {
            // A word or a phrase, in every field, with each field's own analyzer; several terms are matched as a phrase
            // (Lucene's AutoGeneratePhraseQueries). tie_breaker 1 adds the fields' scores, as Lucene's multi-field query does.
            ["multi_match"] = new JsonObject
            {
                ["query"] = text.Text,
                ["type"] = "phrase",
                ["fields"] = new JsonArray([.. ElasticsearchSchema.QueryFields().Select(f => (JsonNode)f)]),
                ["tie_breaker"] = 1.0,
                // A clause that analyses to nothing (only punctuation) is dropped by Lucene's parser: here it matches
                // everything where it is required and nothing where it is optional or excluded.
                ["zero_terms_query"] = occur == QueryOccur.Must ? "all" : "none",
            },
        },
        PrefixNode prefix => new JsonObject
        {
            ["multi_match"] = new JsonObject
            {
                ["query"] = prefix.Text,
                ["type"] = "bool_prefix",
                ["fields"] = new JsonArray([.. ElasticsearchSchema.PrefixFields().Select(f => (JsonNode)f)]),
                ["analyzer"] = ElasticsearchSchema.FoldedPrefixAnalyzer,
                ["operator"] = "and",
            },
        },
        BooleanNode boolean => Bool(boolean),
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    private static JsonObject Bool(BooleanNode node)
    {
        var must = new JsonArray();
        var should = new JsonArray();
        var mustNot = new JsonArray();
        foreach (var (occur, child) in node.Clauses)
        {
            var translated = Translate(child, occur);
            (occur switch { QueryOccur.Must => must, QueryOccur.Should => should, _ => mustNot }).Add(translated);
        }
        // Lucene matches nothing with exclusions alone; Elasticsearch would match everything else.
        if (must.Count == 0 && should.Count == 0) must.Add(new JsonObject { ["match_none"] = new JsonObject() });
        var result = new JsonObject();
        if (must.Count > 0) result["must"] = must;
        if (should.Count > 0)
        {
            result["should"] = should;
            // With required clauses the optional ones only rank, as in Lucene; alone, one of them must match.
            if (must.Count == 0) result["minimum_should_match"] = 1;
        }
        if (mustNot.Count > 0) result["must_not"] = mustNot;
        return new JsonObject { ["bool"] = result };
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
