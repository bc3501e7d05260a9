using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Portal.Search.Documents;
using Portal.Search.Elasticsearch;

namespace Portal.Search.Tests.Elasticsearch;

/// <summary>
/// Protocol tests, not server tests: the Elasticsearch backend against <see cref="FakeElasticsearch"/>, checking the
/// requests its official client sends and how it reads answers shaped like the reference's.
/// </summary>
public sealed class ElasticsearchProtocolTests : IAsyncLifetime
{
    private const string Secret = "c2VjcmV0LWtleS1pZDpzZWNyZXQta2V5LXZhbHVl";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private FakeElasticsearch _server = null!;
    private readonly RecordingLoggerProvider _logs = new();

    public async ValueTask InitializeAsync() => _server = await FakeElasticsearch.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private ElasticsearchSearchIndex CreateIndex(ElasticsearchOptions? options = null) => new(
        options ?? new ElasticsearchOptions { Url = _server.Url.ToString(), ApiKey = Secret, Index = "portal-search" },
        _logs.CreateLogger<ElasticsearchSearchIndex>());

    /// <summary>An empty cluster: no alias yet; everything else acknowledged.</summary>
    private static (int, string)? EmptyCluster(RecordedRequest r) => r.Line switch
    {
        "GET /_alias/portal-search" => (404, """{"error":"alias [portal-search] missing","status":404}"""),
        _ when r.Method == "POST" && r.Path.EndsWith("/_bulk", StringComparison.Ordinal) => (200, Responses.Read("bulk-ok.json")),
        _ when r.Method is "PUT" or "POST" or "DELETE" => (200, Responses.Acknowledged),
        _ => null,
    };

    [Fact]
    public async Task OpeningAnEmptyClusterPutsTheTemplateFillsANewIndexAndPointsTheAliasAtIt()
    {
        _server.Respond = EmptyCluster;
        using var index = CreateIndex();

        await index.OpenAsync(new ListDocumentSource(Corpus.Documents(), fingerprint: "v1"), cancellationToken: Cancel);

        var requests = _server.Requests;
        var created = requests.Single(r => r.Method == "PUT" && r.Path.StartsWith("/portal-search-1-", StringComparison.Ordinal)).Path[1..];
        Assert.Equal(
            ["PUT /_index_template/portal-search", "GET /_alias/portal-search", $"PUT /{created}", $"POST /{created}/_bulk", $"POST /{created}/_refresh", "GET /_alias/portal-search", "POST /_aliases"],
            requests.Select(r => r.Line));
        Assert.Equal(SearchIndexState.Ready, index.State);

        // The new index records what it was built from.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"mappings":{"_meta":{"schema":"1","fingerprint":"v1"}}}"""), JsonNode.Parse(requests[2].Body)));
        // The alias reaches the new index; there was no old one to leave.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""{"actions":[{"add":{"index":"{{{created}}}","alias":"portal-search"}}]}"""), JsonNode.Parse(requests[^1].Body)));
        // Every request carries the API key; the bulk is NDJSON.
        Assert.All(requests, r => Assert.Equal("ApiKey " + Secret, r.Headers["Authorization"]));
        Assert.StartsWith("application/vnd.elasticsearch+x-ndjson", requests[3].Headers["Content-Type"]);
    }

    [Fact]
    public async Task TheBulkBodyIsOneIndexActionAndOneSourcePerDocument()
    {
        _server.Respond = EmptyCluster;
        using var index = CreateIndex();
        var decision = Corpus.Decision("msk-4", new DateOnly(2024, 11, 1), "Saylov yakunlari toʻgʻrisida", "Natijalar eʼlon qilinsin.", "Об итогах выборов", "Итоги выборов.");

        await index.OpenAsync(new ListDocumentSource([Corpus.Candidate("c-1", "Mirziyoyev Akmal Bahodirovich", "Мирзиёев Акмал Баҳодирович"), decision]), cancellationToken: Cancel);

        var lines = _server.Requests.Single(r => r.Path.EndsWith("/_bulk", StringComparison.Ordinal)).Body.Split('\n');
        Assert.Equal(5, lines.Length); // two pairs and the final newline
        Assert.Equal("", lines[4]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"index":{"_id":"candidate:c-1"}}"""), JsonNode.Parse(lines[0])));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"index":{"_id":"decision:msk-4"}}"""), JsonNode.Parse(lines[2])));
        var candidate = JsonNode.Parse(lines[1])!;
        Assert.Equal("candidate", (string?)candidate["type"]);
        Assert.Equal("Мирзиёев Акмал Баҳодирович", (string?)candidate["title"]!["uz-Cyrl"]);
        Assert.Equal("Mirziyoyev Akmal Bahodirovich", (string?)candidate["title"]!["uz"]);
        Assert.Equal("uzlidep", (string?)candidate["details"]!["party"]);
        Assert.Null(candidate["date"]);
        var source = JsonNode.Parse(lines[3])!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"key":"decision:msk-4","id":"msk-4","type":"decision","date":"2024-11-01","url":"/decisions/msk-4",
             "title":{"uz":"Saylov yakunlari toʻgʻrisida","ru":"Об итогах выборов"},
             "body":{"uz":"Natijalar eʼlon qilinsin.","ru":"Итоги выборов."},
             "keywords":["MSK-4-son"],
             "details":{"number":"MSK-4-son","commissionId":"cec"}}
            """), source), source.ToJsonString());
    }

    [Fact]
    public async Task AnIntactIndexOfTheSameDocumentsIsOpenedWithoutARebuild()
    {
        _server.Respond = r => r.Line switch
        {
            "GET /_alias/portal-search" => (200, Responses.Read("alias.json")),
            "GET /portal-search-1-20261101000000000-0001/_mapping" => (200, Responses.Read("mapping.json")),
            "PUT /_index_template/portal-search" => (200, Responses.Acknowledged),
            _ => null,
        };
        using var index = CreateIndex();
        var source = new ListDocumentSource(Corpus.Documents(), fingerprint: "v1");

        await index.OpenAsync(source, cancellationToken: Cancel);

        Assert.Equal(0, source.Reads);
        Assert.Equal(SearchIndexState.Ready, index.State);
        Assert.Equal(["PUT /_index_template/portal-search", "GET /_alias/portal-search", "GET /portal-search-1-20261101000000000-0001/_mapping"],
            _server.Requests.Select(r => r.Line));
    }

    [Fact]
    public async Task ARebuildSwapsTheAliasInOneStepAndThenDropsTheOldIndex()
    {
        const string old = "portal-search-1-20261101000000000-0001";
        _server.Respond = r => r.Line switch
        {
            "GET /_alias/portal-search" => (200, Responses.Read("alias.json")),
            $"GET /{old}/_mapping" => (200, Responses.Read("mapping.json")),
            _ => EmptyCluster(r),
        };
        using var index = CreateIndex();
        // Another fingerprint than the index was built from.
        await index.OpenAsync(new ListDocumentSource(Corpus.Documents(), fingerprint: "v2"), cancellationToken: Cancel);

        var requests = _server.Requests;
        var created = requests.Single(r => r.Method == "PUT" && r.Path.StartsWith("/portal-search-1-", StringComparison.Ordinal)).Path[1..];
        var swap = requests.Single(r => r.Line == "POST /_aliases");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""
            {"actions":[{"remove":{"index":"{{{old}}}","alias":"portal-search"}},{"add":{"index":"{{{created}}}","alias":"portal-search"}}]}
            """), JsonNode.Parse(swap.Body)));
        Assert.Equal($"DELETE /{old}", requests[^1].Line);
        Assert.True(requests.ToList().IndexOf(swap) < requests.Count - 1, "the old index goes only after the swap");
    }

    [Fact]
    public async Task APublishedDecisionIsWrittenThroughTheAliasAndRefreshedBeforeTheCallReturns()
    {
        _server.Respond = r => r.Line switch
        {
            "PUT /portal-search/_doc/decision:msk-77" => (201, Responses.Read("index-created.json")),
            _ => EmptyCluster(r),
        };
        using var index = CreateIndex();
        await index.OpenAsync(new ListDocumentSource([]), cancellationToken: Cancel);

        await index.IndexDecisionAsync(Corpus.Decision("msk-77", new DateOnly(2024, 10, 20), "Yangi qaror: Zarafshon", "Zarafshon shahrida."), Cancel);

        var put = _server.Requests[^1];
        Assert.Equal("PUT /portal-search/_doc/decision:msk-77", put.Line);
        Assert.Equal("?refresh=true", put.Query);
        Assert.Equal("Yangi qaror: Zarafshon", (string?)JsonNode.Parse(put.Body)!["title"]!["uz"]);
    }

    [Fact]
    public async Task ASearchGoesToTheAliasAndItsAnswerIsReadIntoHitsCountsAndEscapedHighlights()
    {
        _server.Respond = r => r.Line switch
        {
            "POST /portal-search/_search" => (200, Responses.Read("search-hits.json")),
            _ => EmptyCluster(r),
        };
        using var index = CreateIndex();
        await index.OpenAsync(new ListDocumentSource([]), cancellationToken: Cancel);

        var results = await index.SearchAsync(new SearchRequest { Query = "Мирзиёев", PageSize = 2 }, Cancel);

        var sent = JsonNode.Parse(_server.Requests[^1].Body)!;
        Assert.Equal(2, (int)sent["size"]!);
        Assert.Equal(2, results.Total);
        Assert.Equal(new Dictionary<string, int> { ["candidate"] = 1, ["station"] = 0, ["decision"] = 4 }, results.Counts);
        var candidate = results.Hits[0];
        Assert.Equal((SearchDocumentType.Candidate, "c-1", "uz-Cyrl"), (candidate.Type, candidate.Id, candidate.Language));
        Assert.Equal("<mark>Мирзиёев</mark> Акмал Баҳодирович", candidate.Title);
        Assert.Equal(7.25f, candidate.Score);
        Assert.Equal("uzlidep", candidate.Details["party"]);
        Assert.Equal("tashkent-city", candidate.RegionId);

        // The Russian stemmed field's marks; all the stored text escaped, only the marks are markup.
        var decision = results.Hits[1];
        Assert.Equal(("ru", new DateOnly(2024, 9, 1)), (decision.Language, decision.Date));
        Assert.Equal("Об итогах &lt;b onmouseover=&quot;alert(1)&quot;&gt;<mark>выборов</mark>&lt;/b&gt;", decision.Title);
        Assert.Equal("Итоги &#39;<mark>выборов</mark>&#39; &amp; &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", decision.Snippet);
        Assert.Equal("ЦИК", decision.Details["commission.ru"]);
    }

    [Fact]
    public async Task RefusedBulkItemsFailTheRebuildNamingTheDocument()
    {
        _server.Respond = r => r.Path.EndsWith("/_bulk", StringComparison.Ordinal) ? (200, Responses.Read("bulk-errors.json")) : EmptyCluster(r);
        using var index = CreateIndex();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => index.OpenAsync(new ListDocumentSource(Corpus.Documents()), cancellationToken: Cancel));

        Assert.Contains("decision:msk-1", error.Message);
        Assert.Contains("document_parsing_exception", error.Message);
        Assert.True(index.NeedsRepair);
        // The half-filled index is dropped; the alias was never moved.
        Assert.DoesNotContain(_server.Requests, r => r.Line == "POST /_aliases");
        Assert.Equal("DELETE", _server.Requests[^1].Method);
    }

    [Fact]
    public async Task AMissingIndexAtSearchTimeIsA503AndAskedToBeRepaired()
    {
        _server.Respond = r => r.Line switch
        {
            "POST /portal-search/_search" => (404, Responses.Error("index_not_found_exception", "no such index [portal-search]", 404)),
            _ => EmptyCluster(r),
        };
        using var index = CreateIndex();
        await index.OpenAsync(new ListDocumentSource([]), cancellationToken: Cancel);

        await Assert.ThrowsAsync<SearchUnavailableException>(() => index.SearchAsync(new SearchRequest { Query = "saylov" }, Cancel));
        Assert.True(index.NeedsRepair);
    }

    [Fact]
    public async Task AQueryElasticsearchFindsTooComplexIsTheTypedErrorOnQ()
    {
        _server.Respond = r => r.Line switch
        {
            "POST /portal-search/_search" => (400, Responses.Error("too_many_nested_clauses", "Query contains too many nested clauses; maxClauseCount is set to 4096", 400)),
            _ => EmptyCluster(r),
        };
        using var index = CreateIndex();
        await index.OpenAsync(new ListDocumentSource([]), cancellationToken: Cancel);

        var error = await Assert.ThrowsAsync<SearchRequestException>(() => index.SearchAsync(new SearchRequest { Query = "saylov okrug" }, Cancel));
        Assert.Equal(("q", "too_complex"), (error.Errors[0].Field, error.Errors[0].Code));
    }

    [Fact]
    public async Task MalformedQueriesAreRefusedBeforeAnythingIsSent()
    {
        _server.Respond = EmptyCluster;
        using var index = CreateIndex();
        await index.OpenAsync(new ListDocumentSource([]), cancellationToken: Cancel);
        _server.Clear();

        foreach (var (query, code) in new[] { ("\"unclosed", "unclosed_quote"), ("AND", "syntax"), ("Toshkent AND", "syntax"), ("*kent", "wildcard"), ("(Toshkent", "unbalanced_parentheses") })
        {
            var error = await Assert.ThrowsAsync<SearchRequestException>(() => index.SearchAsync(new SearchRequest { Query = query }, Cancel));
            Assert.Equal(("q", code), (error.Errors[0].Field, error.Errors[0].Code));
        }
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task AnUnreachableClusterIsUnavailableAndNoCredentialOrUrlIsLoggedOrShown()
    {
        var url = _server.Url.ToString();
        await _server.DisposeAsync(); // nothing listens there any more
        using var index = CreateIndex(new ElasticsearchOptions { Url = url, Username = "portal", Password = "p4ss-" + Secret, Index = "portal-search", RequestTimeout = TimeSpan.FromSeconds(5) });
        using var failures = new CounterListener("portal_search_backend_failures", "unreachable");

        var open = await Assert.ThrowsAnyAsync<Exception>(() => index.OpenAsync(new ListDocumentSource([]), cancellationToken: Cancel));
        var health = await index.CheckAsync(Cancel);
        var search = await Assert.ThrowsAsync<SearchUnavailableException>(() => index.SearchAsync(new SearchRequest { Query = "x" }, Cancel));

        Assert.IsType<SearchUnavailableException>(open);
        Assert.Equal(1, failures.Value); // the template request; the search is refused before anything is sent
        Assert.False(health.Healthy);
        Assert.Contains("unreachable", health.Description);
        foreach (var text in _logs.Lines.Append(open.Message).Append(search.Message).Append(health.Description))
        {
            Assert.DoesNotContain(Secret, text);
            Assert.DoesNotContain("p4ss", text);
            Assert.DoesNotContain(_server.Url.Authority, text);
        }
        Assert.NotEmpty(_logs.Lines);
        _server = await FakeElasticsearch.StartAsync(); // for DisposeAsync
    }

    [Fact]
    public async Task BasicCredentialsGoInTheAuthorizationHeaderOnly()
    {
        _server.Respond = r => r.Line == "GET /portal-search/_count" ? (200, Responses.Read("count.json")) : EmptyCluster(r);
        using var index = CreateIndex(new ElasticsearchOptions { Url = _server.Url.ToString(), Username = "portal", Password = "p4ss", Index = "portal-search" });
        await index.OpenAsync(new ListDocumentSource([]), cancellationToken: Cancel);

        var health = await index.CheckAsync(Cancel);

        Assert.True(health.Healthy, health.Description);
        Assert.Equal("elasticsearch answers; index portal-search ready, 1101 documents", health.Description);
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("portal:p4ss"));
        Assert.All(_server.Requests, r => Assert.Equal(expected, r.Headers["Authorization"]));
        Assert.All(_server.Requests, r => Assert.DoesNotContain("p4ss", r.Path + r.Query));
    }
}

/// <summary>Sums a counter of the "Portal.Search" meter for one tag value (other tests may add to it meanwhile).</summary>
internal sealed class CounterListener : IDisposable
{
    private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
    private long _value;

    public CounterListener(string instrument, string kind)
    {
        _listener.InstrumentPublished = (i, l) => { if (i.Meter.Name == "Portal.Search" && i.Name == instrument) l.EnableMeasurementEvents(i); };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Value as string == kind) Interlocked.Add(ref _value, value);
        });
        _listener.Start();
    }

    public long Value => Interlocked.Read(ref _value);

    public void Dispose() => _listener.Dispose();
}

/// <summary>Keeps every formatted log line (with its exception) of the loggers it makes.</summary>
internal sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public ILogger<T> CreateLogger<T>() => new Logger<T>(new Microsoft.Extensions.Logging.LoggerFactory([this]));

    public ILogger CreateLogger(string categoryName) => new Recorder(_lines);

    public void Dispose() { }

    private sealed class Recorder(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
    }
}
