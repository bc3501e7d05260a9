using System.Diagnostics;
using System.Text.RegularExpressions;
using Portal.Search.Documents;

namespace Portal.Search.Tests.Behaviour;

/// <summary>What every backend answers alike: phrases, filters, paging, highlights, malformed queries, publishing.</summary>
public abstract partial class QueryBehaviour<TBackend>(TBackend backend) : IClassFixture<TBackend> where TBackend : SearchBackendFixture
{
    private ISearchIndex Index => backend.Index;
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PhraseMatchesOnlyWordsInThatOrder()
    {
        // msk-2 has "saylov okrugi" together; msk-3 has both words apart.
        Assert.Equal(["msk-2"], await Index.IdsAsync("\"saylov okrugi\"", SearchDocumentType.Decision));
        var loose = await Index.IdsAsync("saylov okrugi", SearchDocumentType.Decision);
        Assert.Contains("msk-2", loose);
        Assert.Contains("msk-3", loose);
    }

    [Fact]
    public async Task PhraseMatchesAcrossScripts()
    {
        Assert.Contains("msk-2", await Index.IdsAsync("\"Тошкент шаҳри\"", SearchDocumentType.Decision));
    }

    [Fact]
    public async Task TypeFilterKeepsOnlyThatTypeAndCountsStayPerType()
    {
        var all = await Index.SearchAsync(new SearchRequest { Query = "Bektemir" }, Cancel);
        var stations = await Index.SearchAsync(new SearchRequest { Query = "Bektemir", Types = [SearchDocumentType.Station] }, Cancel);

        Assert.All(stations.Hits, h => Assert.Equal(SearchDocumentType.Station, h.Type));
        Assert.Equal(["1-0001", "1-0002"], stations.Hits.Select(h => h.Id).Order());
        Assert.Equal(2, stations.Total);
        // Counts per type ignore the type filter, so the result page can show its tabs.
        Assert.Equal(all.Counts, stations.Counts);
        Assert.Equal(2, stations.Counts["station"]);
        Assert.Equal(1, stations.Counts["candidate"]);
        Assert.Equal(1, stations.Counts["decision"]);
        Assert.Equal(all.Hits.Count, all.Total);
    }

    [Fact]
    public async Task RegionFilterKeepsOnlyThatRegion()
    {
        var results = await Index.SearchAsync(new SearchRequest { Query = "saylov", RegionId = "fergana" }, Cancel);
        Assert.NotEmpty(results.Hits);
        Assert.All(results.Hits, h => Assert.Equal("fergana", h.RegionId));
        Assert.Contains(results.Hits, h => h.Id == "msk-3");
        Assert.DoesNotContain(results.Hits, h => h.Id == "msk-2");
    }

    [Fact]
    public async Task DateRangeIsInclusiveAndKeepsOnlyDatedDocuments()
    {
        var results = await Index.SearchAsync(new SearchRequest
        {
            From = new DateOnly(2024, 8, 1), To = new DateOnly(2024, 10, 1), PageSize = 100,
        }, Cancel);
        Assert.Equal(["msk-2", "msk-3", "msk-5"], results.Hits.Select(h => h.Id).Order());
        Assert.All(results.Hits, h => Assert.InRange(h.Date!.Value, new DateOnly(2024, 8, 1), new DateOnly(2024, 10, 1)));
        Assert.Equal(0, results.Counts["candidate"]);
    }

    [Fact]
    public async Task EmptyQueryListsNewestFirst()
    {
        var results = await Index.SearchAsync(new SearchRequest { Types = [SearchDocumentType.Decision], PageSize = 3 }, Cancel);
        Assert.Equal(["msk-4", "en-1", "msk-5"], results.Hits.Select(h => h.Id));
    }

    [Fact]
    public async Task PagingIsStableAndCoversEveryHitOnce()
    {
        var request = new SearchRequest { Query = "saylov OR Bektemir OR kuzatuvchilar OR O'zbekiston OR Toshkent", PageSize = 3 };
        var first = await Index.SearchAsync(request, Cancel);
        Assert.True(first.Total > 6, $"the query should match several pages, matched {first.Total}");

        var paged = new List<string>();
        for (var page = 1; (page - 1) * request.PageSize < first.Total; page++)
        {
            var results = await Index.SearchAsync(request with { Page = page }, Cancel);
            Assert.Equal(first.Total, results.Total);
            paged.AddRange(results.Hits.Select(h => h.Id));
        }
        var all = await Index.SearchAsync(request with { PageSize = 100 }, Cancel);
        Assert.Equal(all.Hits.Select(h => h.Id), paged);
        Assert.Equal(paged.Count, paged.Distinct().Count());

        // The same request again gives the same order.
        var again = await Index.SearchAsync(request with { PageSize = 100 }, Cancel);
        Assert.Equal(all.Hits.Select(h => h.Id), again.Hits.Select(h => h.Id));
    }

    [Fact]
    public async Task HighlightsMarkTheMatchedWordsInTheMatchingScript()
    {
        var latin = (await Index.SearchAsync(new SearchRequest { Query = "Mirziyoyev" }, Cancel)).Hits.Single();
        Assert.Equal("<mark>Mirziyoyev</mark> Akmal Bahodirovich", latin.Title);
        Assert.Equal("uz", latin.Language);

        var cyrillic = (await Index.SearchAsync(new SearchRequest { Query = "Мирзиёев" }, Cancel)).Hits.Single();
        Assert.Equal("<mark>Мирзиёев</mark> Акмал Баҳодирович", cyrillic.Title);
        Assert.Equal("uz-Cyrl", cyrillic.Language);

        var russian = (await Index.SearchAsync(new SearchRequest { Query = "выборы", Types = [SearchDocumentType.Decision] }, Cancel)).Hits;
        var results = russian.Single(h => h.Id == "msk-4");
        Assert.Equal("ru", results.Language);
        Assert.Contains("<mark>выборов</mark>", results.Title + results.Snippet);
        Assert.Equal("/decisions/msk-4", results.Url);
    }

    [Fact]
    public async Task AHitsBodyInALessLikelyLanguageIsReadWhenOnlyItMatches()
    {
        // A Latin query reads the Uzbek and English bodies of a hit first; the Russian body is read only because the
        // words are found in no other (here the folded Latin form of выборов and протоколам).
        var hit = (await Index.SearchAsync(new SearchRequest { Query = "viborov protokolam" }, Cancel)).Hits.Single();

        Assert.Equal("msk-4", hit.Id);
        Assert.Equal("ru", hit.Language);
        Assert.Equal("Об итогах <mark>выборов</mark>", hit.Title);
        Assert.Equal("Итоги <mark>выборов</mark> в Законодательную палату определены по <mark>протоколам</mark> окружных избирательных комиссий.", hit.Snippet);
    }

    [Theory]
    [InlineData("\"unclosed", "unclosed_quote")]
    [InlineData("AND", "syntax")]
    [InlineData("*", "wildcard")]
    [InlineData("(Toshkent", "unbalanced_parentheses")]
    [InlineData("Toshkent AND", "syntax")]
    [InlineData("*kent", "wildcard")]
    [InlineData("T*", "prefix_too_short")]
    [InlineData("To*sh", "wildcard")]
    public async Task MalformedQueryIsATypedErrorOnQ(string query, string code)
    {
        var error = await Assert.ThrowsAsync<SearchRequestException>(() => Index.SearchAsync(new SearchRequest { Query = query }, Cancel));
        var single = Assert.Single(error.Errors);
        Assert.Equal("q", single.Field);
        Assert.Equal(code, single.Code);
        Assert.False(string.IsNullOrWhiteSpace(single.Message));
    }

    [Fact]
    public async Task TenKilobytesOfTextIsRefused()
    {
        var query = string.Concat(Enumerable.Repeat("saylov ", 1500));
        var error = await Assert.ThrowsAsync<SearchRequestException>(() => Index.SearchAsync(new SearchRequest { Query = query }, Cancel));
        Assert.Equal(("q", "too_long"), (error.Errors[0].Field, error.Errors[0].Code));
    }

    [Theory]
    [InlineData("Art. 103: silence")]
    [InlineData("№12/3 [a] {b} ^2 ~ ! ?")]
    [InlineData("saylov && okrug || x")]
    [InlineData("title:Toshkent")]
    public async Task ClassicSyntaxWeDoNotOfferIsTakenLiterally(string query)
    {
        var results = await Index.SearchAsync(new SearchRequest { Query = query }, Cancel);
        Assert.NotNull(results);
    }

    [Fact]
    public async Task MalformedPagingIsATypedError()
    {
        var error = await Assert.ThrowsAsync<SearchRequestException>(() => Index.SearchAsync(new SearchRequest { Query = "a", Page = 0, PageSize = 500 }, Cancel));
        Assert.Contains(error.Errors, e => e.Field == "page");
        Assert.Contains(error.Errors, e => e.Field == "pageSize");
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [Fact]
    public async Task ScriptInADecisionComesBackEscapedAndOnlyMarksAreMarkup()
    {
        var index = await backend.OpenIndexAsync(new ListDocumentSource([]));
        await index.IndexDecisionAsync(Corpus.Decision("xss-1", new DateOnly(2024, 9, 1),
            "Qaror <b onmouseover=\"alert(1)\">Toshkent</b>",
            "Matn: <script>alert('Toshkent')</script> & \"Toshkent\" <img src=x onerror=alert(2)>"), Cancel);

        var hit = (await index.SearchAsync(new SearchRequest { Query = "Toshkent" }, Cancel)).Hits.Single();
        foreach (var html in new[] { hit.Title, hit.Snippet })
        {
            Assert.All(Tag().Matches(html), tag => Assert.True(tag.Value is "<mark>" or "</mark>", $"unexpected markup {tag.Value} in {html}"));
            Assert.Contains("<mark>Toshkent</mark>", html);
        }
        Assert.Contains("&lt;script&gt;alert(&#39;<mark>Toshkent</mark>&#39;)&lt;/script&gt;", hit.Snippet);
        Assert.Contains("&amp; &quot;<mark>Toshkent</mark>&quot;", hit.Snippet);
        Assert.Contains("&lt;b onmouseover=&quot;alert(1)&quot;&gt;", hit.Title);
    }

    [Fact]
    public async Task PublishedDecisionIsSearchableWithinOneSecond()
    {
        var index = await backend.OpenIndexAsync(new ListDocumentSource(Corpus.Documents()));
        await index.SearchAsync(new SearchRequest { Query = "warm up" }, Cancel);

        var decision = Corpus.Decision("msk-77", new DateOnly(2024, 10, 20), "Yangi qaror: Zarafshon", "Zarafshon shahrida saylov uchastkasi tuzilsin.");
        var stopwatch = Stopwatch.StartNew();
        await index.IndexDecisionAsync(decision, Cancel);
        var ids = await index.IdsAsync("Zarafshon");
        stopwatch.Stop();

        Assert.Equal(["msk-77"], ids);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"visible after {stopwatch.ElapsedMilliseconds} ms");

        // Indexing the same id again replaces it.
        await index.IndexDecisionAsync(decision with { Title = new Dictionary<string, string> { ["uz"] = "Tuzatilgan qaror: Navoiy" } }, Cancel);
        Assert.Equal(["msk-77"], await index.IdsAsync("Navoiy"));
        Assert.Empty(await index.IdsAsync("\"Yangi qaror\""));
    }
}
