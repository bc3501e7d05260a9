using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Lucene.Net.Analysis.CharFilters;
using Portal.Search.Documents;
using Portal.Search.Elasticsearch;
using Portal.Search.Lucene;
using Portal.Search.Text;

namespace Portal.Search.Tests.Elasticsearch;

/// <summary>The bodies the Elasticsearch backend sends, compared with the intended query DSL and index template.</summary>
public sealed class ElasticsearchRequestTests
{
    private static JsonNode Query(string text, SearchRequest? request = null) =>
        ElasticsearchQuery.SearchBody(request ?? new SearchRequest { Query = text }, UserQuery.Parse(text))["query"]!["bool"]!["must"]!;

    private static string Fields => string.Join(",", ElasticsearchSchema.QueryFields().Select(f => $"\"{f}\""));
    private static string PrefixFields => string.Join(",", ElasticsearchSchema.PrefixFields().Select(f => $"\"{f}\""));

    private static string Words(string text, string zero = "all") =>
        $$$"""{"multi_match":{"query":"{{{text}}}","type":"phrase","fields":[{{{Fields}}}],"tie_breaker":1.0,"zero_terms_query":"{{{zero}}}"}}""";

    private static string Prefix(string text) =>
        $$$"""{"multi_match":{"query":"{{{text}}}","type":"bool_prefix","fields":[{{{PrefixFields}}}],"analyzer":"portal_folded_prefix","operator":"and"}}""";

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {JsonNode.Parse(expected)!.ToJsonString()}\nactual   {actual?.ToJsonString()}");

    [Fact]
    public void TheFieldsAndBoostsAreTheLuceneBackendsPerCulture()
    {
        Assert.Equal(
            ["title.uz^3", "title.uz-Cyrl^3", "title.ru^3", "title.ru.stem^2.5", "title.en^3", "title.en.stem^2.5",
             "body.uz", "body.uz-Cyrl", "body.ru", "body.ru.stem^0.8", "body.en", "body.en.stem^0.8", "keywords^3"],
            ElasticsearchSchema.QueryFields());
        Assert.Equal(["title.uz^1.5", "title.uz-Cyrl^1.5", "title.ru^1.5", "title.en^1.5", "body.uz^0.5", "body.uz-Cyrl^0.5", "body.ru^0.5", "body.en^0.5", "keywords^1.5"],
            ElasticsearchSchema.PrefixFields());
    }

    [Fact]
    public void WordsAreAllRequiredAndTheLastIsAlsoAPrefixWhileTyping()
    {
        AssertJson($$$"""{"bool":{"must":[{{{Words("Mirziyoyev")}}},{"bool":{"should":[{{{Words("Akmal", "none")}}},{{{Prefix("Akmal")}}}],"minimum_should_match":1}}]}}""",
            Query("Mirziyoyev Akmal"));
    }

    [Fact]
    public void AQuotedPhraseIsAPhraseAndGetsNoTypingPrefix()
    {
        AssertJson(Words("saylov okrugi"), Query("\"saylov okrugi\""));
    }

    [Fact]
    public void ATrailingStarIsAPrefixOnTheFoldedFieldsWithTheFoldedPrefixAnalyzer()
    {
        AssertJson(Prefix("Toshk"), Query("Toshk*"));
    }

    [Fact]
    public void OrMakesBothSidesOptionalAndNotExcludes()
    {
        AssertJson($$$"""{"bool":{"should":[{{{Words("saylov", "none")}}},{{{Words("okrug", "none")}}}],"minimum_should_match":1}}""", Query("saylov OR \"okrug\""));
        AssertJson($$$"""{"bool":{"must":[{{{Words("saylov")}}}],"must_not":[{{{Words("okrug", "none")}}}]}}""", Query("saylov -\"okrug\""));
        AssertJson($$$"""{"bool":{"must":[{"match_none":{}}],"must_not":[{{{Words("okrug", "none")}}}]}}""", Query("NOT \"okrug\""));
    }

    [Fact]
    public void ClassicSyntaxWeDoNotOfferIsSentAsLiteralText()
    {
        AssertJson(Words("title:Toshkent"), Query("\"title:Toshkent\""));
        AssertJson($$$"""{"bool":{"must":[{{{Words("№12/3")}}},{{{Words("[a]")}}}]}}""", Query("№12/3 [a]"));
    }

    [Fact]
    public void FiltersPagingSortCountsAndHighlightsAreInTheirPlaces()
    {
        var request = new SearchRequest
        {
            Query = "\"saylov\"", Types = [SearchDocumentType.Decision], RegionId = "fergana",
            From = new DateOnly(2024, 8, 1), To = new DateOnly(2024, 9, 30), Page = 3, PageSize = 5,
        };
        var body = ElasticsearchQuery.SearchBody(request, UserQuery.Parse(request.Query));

        Assert.Equal(10, (int)body["from"]!);
        Assert.Equal(5, (int)body["size"]!);
        Assert.True((bool)body["track_total_hits"]!);
        AssertJson("""[{"term":{"region":"fergana"}},{"range":{"date":{"gte":"2024-08-01","lte":"2024-09-30","format":"yyyy-MM-dd"}}}]""", body["query"]!["bool"]!["filter"]);
        // The type filter after the aggregation: the counts are per type whatever the filter.
        AssertJson("""{"terms":{"type":["decision"]}}""", body["post_filter"]);
        AssertJson("""{"types":{"terms":{"field":"type","size":3}}}""", body["aggs"]);
        AssertJson("""["_score",{"key":"asc"}]""", body["sort"]);
        var highlight = body["highlight"]!;
        Assert.Equal(0, (int)highlight["number_of_fragments"]!);
        AssertJson("""["\uE000"]""", highlight["pre_tags"]);
        AssertJson("""["\uE001"]""", highlight["post_tags"]);
        Assert.Equal(ElasticsearchSchema.HighlightFields(), highlight["fields"]!.AsObject().Select(f => f.Key));
    }

    [Fact]
    public void WithoutAQueryTheNewestComeFirstAndNothingIsHighlighted()
    {
        var body = ElasticsearchQuery.SearchBody(new SearchRequest(), null);
        AssertJson("""{"match_all":{}}""", body["query"]!["bool"]!["must"]);
        AssertJson("""[{"date":{"order":"desc","missing":"_last"}},{"key":"asc"}]""", body["sort"]);
        Assert.Null(body["highlight"]);
        Assert.Null(body["post_filter"]);
    }

    [Fact]
    public void TheTemplatesAnalyzersAreTheLuceneChains()
    {
        var template = ElasticsearchSchema.IndexTemplate("portal-search");
        AssertJson("""["portal-search-*"]""", template["index_patterns"]);
        var analysis = template["template"]!["settings"]!["analysis"]!;
        AssertJson("""{"type":"custom","tokenizer":"standard","char_filter":["portal_uzbek_folding"],"filter":["lowercase","asciifolding","portal_uzbek_y"]}""", analysis["analyzer"]!["portal_folded"]);
        AssertJson("""{"type":"custom","tokenizer":"standard","char_filter":["portal_uzbek_folding"],"filter":["lowercase","asciifolding","portal_uzbek_y","portal_uzbek_prefix_y"]}""", analysis["analyzer"]!["portal_folded_prefix"]);
        AssertJson("""{"type":"custom","tokenizer":"standard","filter":["lowercase","portal_russian_stop","portal_russian_stemmer"]}""", analysis["analyzer"]!["portal_russian"]);
        AssertJson("""{"type":"custom","tokenizer":"standard","filter":["portal_english_possessive","lowercase","portal_english_stop","portal_english_stemmer"]}""", analysis["analyzer"]!["portal_english"]);
        AssertJson("""{"type":"stemmer","language":"russian"}""", analysis["filter"]!["portal_russian_stemmer"]);
        AssertJson("""{"type":"stop","stopwords":"_russian_"}""", analysis["filter"]!["portal_russian_stop"]);
        AssertJson("""{"type":"stemmer","language":"english"}""", analysis["filter"]!["portal_english_stemmer"]);
        Assert.Equal("mapping", (string?)analysis["char_filter"]!["portal_uzbek_folding"]!["type"]);

        var mappings = template["template"]!["mappings"]!;
        AssertJson("""{"type":"text","analyzer":"portal_folded","fields":{"stem":{"type":"text","analyzer":"portal_russian"}}}""", mappings["properties"]!["title"]!["properties"]!["ru"]);
        AssertJson("""{"type":"text","analyzer":"portal_folded","fields":{"stem":{"type":"text","analyzer":"portal_english"}}}""", mappings["properties"]!["body"]!["properties"]!["en"]);
        AssertJson("""{"type":"text","analyzer":"portal_folded"}""", mappings["properties"]!["title"]!["properties"]!["uz-Cyrl"]);
        AssertJson("""{"type":"date","format":"yyyy-MM-dd"}""", mappings["properties"]!["date"]);
        AssertJson("""{"type":"object","enabled":false}""", mappings["properties"]!["details"]);
    }

    public static TheoryData<string> FoldingTexts =>
    [
        "Ўзбекистон Республикаси Марказий сайлов комиссиясининг ҚАРОРИ: Мирзиёев Шавкат, Тошкент ш., Ғафур Ғулом кўчаси, маълумот",
        "Oʻzbekiston, O‘ZBEKISTON, O'zbekiston, O`zbekiston, Oʼzbekiston, Gʻafur G’ulom, maʼlumot, ma＇lumot, ‛x´y′z",
        "ЦЕНТРАЛЬНАЯ ИЗБИРАТЕЛЬНАЯ КОМИССИЯ: Ёлкин Щукин, Эркин, Юлдуз, Яшнобод, Цех, подъезд, Ңә Өү І",
        "Latin only: Mirziyoyev Yevropa 2024-10-27 <script>",
    ];

    /// <summary>Elasticsearch's mapping char filter reads "from => to" rules and replaces the longest match, left to right.</summary>
    private static string ApplyMappingRules(IEnumerable<string> rules, string text)
    {
        var map = rules.Select(r => r.Split(" => ")).ToDictionary(p => p[0], p => p[1]);
        var longest = map.Keys.Max(k => k.Length);
        var output = new System.Text.StringBuilder();
        for (var i = 0; i < text.Length;)
        {
            var matched = false;
            for (var length = Math.Min(longest, text.Length - i); length > 0 && !matched; length--)
                if (map.TryGetValue(text.Substring(i, length), out var to))
                {
                    output.Append(to);
                    i += length;
                    matched = true;
                }
            if (!matched) output.Append(text[i++]);
        }
        return output.ToString();
    }

    [Theory]
    [MemberData(nameof(FoldingTexts))]
    public void TheGeneratedMappingCharFilterFoldsAsTheLuceneOneDoes(string text)
    {
        var rules = ElasticsearchSchema.FoldingRules().ToList();
        Assert.All(rules, r => Assert.Matches("^.+ => .*$", r));
        Assert.Equal(UzbekFolding.CharMappings().Count(), rules.Count);

        using var lucene = new MappingCharFilter(LuceneFolding.CharMap, new StringReader(text));
        var folded = new System.Text.StringBuilder();
        var buffer = new char[64];
        for (int read; (read = lucene.Read(buffer, 0, buffer.Length)) > 0;) folded.Append(buffer, 0, read);
        Assert.Equal(folded.ToString(), ApplyMappingRules(rules, text));
    }

    [Theory]
    [InlineData("mirziyoyev")]
    [InlineData("yevropa")]
    [InlineData("nayyira")]
    [InlineData("ayaya")]
    [InlineData("qayerda")]
    [InlineData("yyyy")]
    [InlineData("oyy")]
    [InlineData("mirziy")]
    [InlineData("toshkent")]
    public void ThePatternReplaceFiltersDropTheYsFoldYDrops(string term)
    {
        Assert.Equal(Lucene(term, asPrefix: false), Regex.Replace(term, ElasticsearchSchema.YPattern, ""));
        Assert.Equal(Lucene(term, asPrefix: true),
            Regex.Replace(Regex.Replace(term, ElasticsearchSchema.YPattern, ""), ElasticsearchSchema.PrefixYPattern, ""));

        static string Lucene(string term, bool asPrefix)
        {
            var buffer = term.ToCharArray();
            return new string(buffer, 0, UzbekFolding.FoldY(buffer, buffer.Length, asPrefix));
        }
    }
}
