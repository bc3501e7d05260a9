using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Portal.Search.Documents;
using Portal.Search.Text;

namespace Portal.Search.Elasticsearch;

/// <summary>
/// The index template and the documents, as Elasticsearch gets them. The analysis does what the Lucene backend's does:
/// the Uzbek folding is a <c>mapping</c> char filter generated from <see cref="UzbekFolding"/>'s one table, the y rule a
/// <c>pattern_replace</c> filter, Russian and English stemming Elasticsearch's own snowball and Porter filters. Each
/// culture's title and body has its own field (folded; Russian and English also stemmed), so a hit's highlights say
/// which culture matched.
/// </summary>
internal static class ElasticsearchSchema
{
    /// <summary>Bumped whenever analysis or fields change: an index of another schema is rebuilt at open.</summary>
    public const string SchemaVersion = "1";

    public const string FoldedAnalyzer = "portal_folded";
    public const string FoldedPrefixAnalyzer = "portal_folded_prefix";
    public const string RussianAnalyzer = "portal_russian";
    public const string EnglishAnalyzer = "portal_english";
    public const string FoldingCharFilter = "portal_uzbek_folding";
    public const string StemSubfield = "stem";

    // UzbekFolding.FoldY as regular expressions over a lower-cased, ASCII-folded term (Java and .NET read them alike):
    // the y between vowels and the y before e at the start go; a prefix also loses a y that ends it after a vowel.
    public const string YPattern = "(?<=[aeiou])y(?=[aeiou])|^y(?=e)";
    public const string PrefixYPattern = "(?<=[aeiou])y$";

    internal static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The families a culture's text is indexed in: folded always; Russian or English stemmed too.</summary>
    public static bool IsStemmed(string culture) => culture is "ru" or "en";

    /// <summary>The <c>mapping</c> char filter rules, "from => to", one per replacement of the shared table.</summary>
    public static IEnumerable<string> FoldingRules() => UzbekFolding.CharMappings().Select(m => $"{m.From} => {m.To}");

    /// <summary>PUT _index_template/{prefix}: settings and mappings of every index the portal creates under the prefix.</summary>
    public static JsonObject IndexTemplate(string prefix) => new()
    {
        ["index_patterns"] = new JsonArray($"{prefix}-*"),
        ["priority"] = 500,
        ["template"] = new JsonObject
        {
            ["settings"] = new JsonObject
            {
                // A few hundred thousand small documents: one shard keeps scores and counts exact; a replica once there is a second node.
                ["number_of_shards"] = 1,
                ["auto_expand_replicas"] = "0-1",
                ["analysis"] = Analysis(),
            },
            ["mappings"] = Mappings(),
        },
        ["_meta"] = new JsonObject { ["schema"] = SchemaVersion, ["owner"] = "election-portal" },
    };

    private static JsonObject Analysis() => new()
    {
        ["char_filter"] = new JsonObject
        {
            [FoldingCharFilter] = new JsonObject
            {
                ["type"] = "mapping",
                ["mappings"] = new JsonArray([.. FoldingRules().Select(r => (JsonNode)r)]),
            },
        },
        ["filter"] = new JsonObject
        {
            ["portal_uzbek_y"] = new JsonObject { ["type"] = "pattern_replace", ["pattern"] = YPattern, ["replacement"] = "" },
            ["portal_uzbek_prefix_y"] = new JsonObject { ["type"] = "pattern_replace", ["pattern"] = PrefixYPattern, ["replacement"] = "" },
            ["portal_russian_stop"] = new JsonObject { ["type"] = "stop", ["stopwords"] = "_russian_" },
            ["portal_russian_stemmer"] = new JsonObject { ["type"] = "stemmer", ["language"] = "russian" },
            ["portal_english_possessive"] = new JsonObject { ["type"] = "stemmer", ["language"] = "possessive_english" },
            ["portal_english_stop"] = new JsonObject { ["type"] = "stop", ["stopwords"] = "_english_" },
            ["portal_english_stemmer"] = new JsonObject { ["type"] = "stemmer", ["language"] = "english" },
        },
        ["analyzer"] = new JsonObject
        {
            [FoldedAnalyzer] = Analyzer([FoldingCharFilter], ["lowercase", "asciifolding", "portal_uzbek_y"]),
            [FoldedPrefixAnalyzer] = Analyzer([FoldingCharFilter], ["lowercase", "asciifolding", "portal_uzbek_y", "portal_uzbek_prefix_y"]),
            [RussianAnalyzer] = Analyzer([], ["lowercase", "portal_russian_stop", "portal_russian_stemmer"]),
            [EnglishAnalyzer] = Analyzer([], ["portal_english_possessive", "lowercase", "portal_english_stop", "portal_english_stemmer"]),
        },
    };

    private static JsonObject Analyzer(string[] charFilters, string[] filters)
    {
        var analyzer = new JsonObject { ["type"] = "custom", ["tokenizer"] = "standard" };
        if (charFilters.Length > 0) analyzer["char_filter"] = new JsonArray([.. charFilters.Select(f => (JsonNode)f)]);
        analyzer["filter"] = new JsonArray([.. filters.Select(f => (JsonNode)f)]);
        return analyzer;
    }

    private static JsonObject Mappings() => new()
    {
        ["dynamic"] = "strict",
        ["properties"] = new JsonObject
        {
            ["key"] = Keyword(),
            ["id"] = Keyword(),
            ["type"] = Keyword(),
            ["region"] = Keyword(),
            ["date"] = new JsonObject { ["type"] = "date", ["format"] = "yyyy-MM-dd" },
            ["url"] = new JsonObject { ["type"] = "keyword", ["index"] = false, ["doc_values"] = false },
            ["title"] = CultureTexts(),
            ["body"] = CultureTexts(),
            ["keywords"] = new JsonObject { ["type"] = "text", ["analyzer"] = FoldedAnalyzer },
            // Stored for the hit, never searched (its keys vary by type: constituency.{contest}, commission.{culture}).
            ["details"] = new JsonObject { ["type"] = "object", ["enabled"] = false },
        },
    };

    private static JsonObject Keyword() => new() { ["type"] = "keyword" };

    private static JsonObject CultureTexts()
    {
        var properties = new JsonObject();
        foreach (var culture in SearchCultures.All)
        {
            var field = new JsonObject { ["type"] = "text", ["analyzer"] = FoldedAnalyzer };
            if (IsStemmed(culture))
                field["fields"] = new JsonObject
                {
                    [StemSubfield] = new JsonObject { ["type"] = "text", ["analyzer"] = culture == "ru" ? RussianAnalyzer : EnglishAnalyzer },
                };
            properties[culture] = field;
        }
        return new JsonObject { ["properties"] = properties };
    }

    /// <summary>PUT /{index}: the settings come from the template; the mapping's _meta says what the index was built from.</summary>
    public static JsonObject NewIndex(string? fingerprint) => new()
    {
        ["mappings"] = new JsonObject
        {
            ["_meta"] = new JsonObject { ["schema"] = SchemaVersion, ["fingerprint"] = fingerprint ?? "" },
        },
    };

    /// <summary>The document's _source: what the hit shows, and the text fields the query looks in.</summary>
    public static JsonObject Source(SearchDocument document)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(document.Id);
        var (texts, keywords, details, date) = DocumentDescription.Describe(document);
        var title = new JsonObject();
        var body = new JsonObject();
        foreach (var (culture, (t, b)) in texts)
        {
            title[culture] = WithoutMarks(t);
            body[culture] = WithoutMarks(b);
        }
        var source = new JsonObject
        {
            ["key"] = DocumentDescription.KeyOf(document.Type, document.Id),
            ["id"] = document.Id,
            ["type"] = document.Type.ToWire(),
        };
        if (!string.IsNullOrEmpty(document.RegionId)) source["region"] = document.RegionId;
        if (date is { } d) source["date"] = d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(document.Url)) source["url"] = document.Url;
        source["title"] = title;
        source["body"] = body;
        source["keywords"] = new JsonArray([.. keywords.Where(k => !string.IsNullOrWhiteSpace(k)).Distinct(StringComparer.Ordinal).Select(k => (JsonNode)k)]);
        var detailObject = new JsonObject();
        foreach (var (name, value) in details)
            if (!string.IsNullOrEmpty(value)) detailObject[name] = value;
        source["details"] = detailObject;
        return source;
    }

    // The highlight sentinels must not occur in a text, or the marks read back from a hit would be wrong.
    private static string WithoutMarks(string text) =>
        text.Contains(ElasticsearchQuery.MarkStart) || text.Contains(ElasticsearchQuery.MarkEnd)
            ? text.Replace(ElasticsearchQuery.MarkStart.ToString(), "").Replace(ElasticsearchQuery.MarkEnd.ToString(), "")
            : text;

    /// <summary>Fields a query looks in, with the Lucene backend's boosts: titles above bodies, the folded form above the stemmed.</summary>
    public static IEnumerable<string> QueryFields()
    {
        foreach (var (part, folded, stemmed) in new[] { ("title", 3f, 2.5f), ("body", 1f, 0.8f) })
            foreach (var culture in SearchCultures.All)
            {
                yield return Boosted($"{part}.{culture}", folded);
                if (IsStemmed(culture)) yield return Boosted($"{part}.{culture}.{StemSubfield}", stemmed);
            }
        yield return Boosted("keywords", 3f);
    }

    /// <summary>Fields a prefix looks in: the folded ones only, at half their boost (a completed word ranks above a prefix).</summary>
    public static IEnumerable<string> PrefixFields()
    {
        foreach (var (part, folded) in new[] { ("title", 3f), ("body", 1f) })
            foreach (var culture in SearchCultures.All)
                yield return Boosted($"{part}.{culture}", folded * 0.5f);
        yield return Boosted("keywords", 1.5f);
    }

    /// <summary>Fields highlighted: each culture's title and body, folded and stemmed.</summary>
    public static IEnumerable<string> HighlightFields()
    {
        foreach (var part in new[] { "title", "body" })
            foreach (var culture in SearchCultures.All)
            {
                yield return $"{part}.{culture}";
                if (IsStemmed(culture)) yield return $"{part}.{culture}.{StemSubfield}";
            }
    }

    private static string Boosted(string field, float boost) =>
        boost == 1f ? field : $"{field}^{boost.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
