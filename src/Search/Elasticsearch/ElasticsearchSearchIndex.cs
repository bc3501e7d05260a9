using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Elastic.Clients.Elasticsearch;
using Elastic.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Search.Documents;
using Portal.Search.Text;
using TransportMethod = Elastic.Transport.HttpMethod;

namespace Portal.Search.Elasticsearch;

/// <summary>
/// The cluster's search: one Elasticsearch index every node reads and writes, through the alias <c>{Index}</c>. A rebuild
/// fills a new index <c>{Index}-{schema}-{time}</c> and swaps the alias to it in one step, so searches never find
/// nothing meanwhile. Writes wait for a refresh (<c>refresh=wait_for</c>): when they complete the change is searchable,
/// and Elasticsearch has it in its translog (durable).
/// </summary>
public sealed partial class ElasticsearchSearchIndex : ISearchIndex, IDisposable
{
    private static readonly RequestConfiguration NdJson = new() { ContentType = "application/vnd.elasticsearch+x-ndjson; compatible-with=9" };

    private readonly ElasticsearchOptions _options;
    private readonly ILogger<ElasticsearchSearchIndex> _logger;
    private readonly SemaphoreSlim _maintenance = new(1, 1);
    private volatile SearchIndexState _state = SearchIndexState.Closed;
    private volatile bool _faulted;
    // The index a rebuild is filling: writes go there too, so nothing published meanwhile is lost by the swap.
    private volatile string? _building;

    public ElasticsearchSearchIndex(IOptions<SearchOptions> options, ILogger<ElasticsearchSearchIndex> logger)
        : this(options.Value.Elasticsearch, logger)
    {
    }

    public ElasticsearchSearchIndex(ElasticsearchOptions options, ILogger<ElasticsearchSearchIndex> logger)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new SearchConfigurationException(errors);
        _options = options;
        _logger = logger;
        _settings = CreateSettings(options);
        Client = new ElasticsearchClient(_settings);
    }

    private readonly ElasticsearchClientSettings _settings;

    internal ElasticsearchClient Client { get; }

    /// <summary>The alias every search and write goes through.</summary>
    public string Alias => _options.Index;

    public SearchIndexState State => _state;

    public bool NeedsRepair => _faulted;

    public string Backend => SearchOptions.ElasticsearchBackend;

    public bool IsShared => true;

    private static ElasticsearchClientSettings CreateSettings(ElasticsearchOptions options)
    {
        var nodes = options.Nodes();
        NodePool pool = nodes.Count == 1 ? new SingleNodePool(nodes[0]) : new StaticNodePool(nodes);
        var settings = new ElasticsearchClientSettings(pool).RequestTimeout(options.RequestTimeout);
        if (!string.IsNullOrEmpty(options.ApiKey)) settings = settings.Authentication(new ApiKey(options.ApiKey));
        else if (!string.IsNullOrEmpty(options.Username)) settings = settings.Authentication(new BasicAuthentication(options.Username, options.Password!));
        if (!string.IsNullOrEmpty(options.CertificateFingerprint)) settings = settings.CertificateFingerprint(options.CertificateFingerprint);
        return settings;
    }

    public async Task OpenAsync(ISearchDocumentSource? source, IProgress<SearchRebuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await _maintenance.WaitAsync(cancellationToken);
        try
        {
            var fingerprint = source is null ? null : await source.GetFingerprintAsync(cancellationToken);
            await PutTemplateAsync(cancellationToken);
            var live = await AliasTargetsAsync(cancellationToken);
            string? reason = null;
            if (live.Count == 0) reason = "missing";
            else if (live.Count > 1) reason = "behind an alias that points at several indices";
            else
            {
                var meta = await MetaAsync(live[0], cancellationToken);
                if (meta.Schema != ElasticsearchSchema.SchemaVersion) reason = "of another schema";
                else if (fingerprint is not null && meta.Fingerprint != fingerprint) reason = "built from other documents";
            }
            if (reason is null)
            {
                _faulted = false;
                _state = SearchIndexState.Ready;
                LogOpened(Alias, live[0]);
                return;
            }
            LogRebuilding(Alias, reason);
            await RebuildCoreAsync(source, fingerprint, progress, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _faulted = true; // the hosted service tries again
            throw;
        }
        finally
        {
            _maintenance.Release();
        }
    }

    public async Task RebuildAsync(ISearchDocumentSource source, IProgress<SearchRebuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await _maintenance.WaitAsync(cancellationToken);
        try
        {
            var fingerprint = await source.GetFingerprintAsync(cancellationToken);
            await PutTemplateAsync(cancellationToken);
            await RebuildCoreAsync(source, fingerprint, progress, cancellationToken);
        }
        finally
        {
            _maintenance.Release();
        }
    }

    private async Task RebuildCoreAsync(ISearchDocumentSource? source, string? fingerprint, IProgress<SearchRebuildProgress>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        // Searches keep going to the old index, if any, until the swap.
        if (_state != SearchIndexState.Ready) _state = SearchIndexState.Rebuilding;
        var index = $"{Alias}-{ElasticsearchSchema.SchemaVersion}-{DateTime.UtcNow:yyyyMMddHHmmssfff}-{RandomNumberGenerator.GetHexString(4, lowercase: true)}";
        await SendAsync(TransportMethod.PUT, "/" + index, ElasticsearchSchema.NewIndex(fingerprint), cancellationToken);
        _building = index;
        long indexed = 0;
        try
        {
            if (source is not null)
            {
                var batch = new List<SearchDocument>(_options.BulkSize);
                await foreach (var document in source.ReadAllAsync(cancellationToken))
                {
                    batch.Add(document);
                    if (batch.Count < _options.BulkSize) continue;
                    indexed += await BulkAsync(index, batch, refresh: false, cancellationToken);
                    progress?.Report(new SearchRebuildProgress(indexed, stopwatch.Elapsed, Completed: false));
                }
                indexed += await BulkAsync(index, batch, refresh: false, cancellationToken);
            }
            else LogNoSource(Alias);
            await SendAsync(TransportMethod.POST, $"/{index}/_refresh", null, cancellationToken);

            // One _aliases call: the alias leaves the old indices and reaches the new one atomically.
            var old = await AliasTargetsAsync(cancellationToken);
            var actions = new JsonArray();
            foreach (var name in old) actions.Add(new JsonObject { ["remove"] = new JsonObject { ["index"] = name, ["alias"] = Alias } });
            actions.Add(new JsonObject { ["add"] = new JsonObject { ["index"] = index, ["alias"] = Alias } });
            await SendAsync(TransportMethod.POST, "/_aliases", new JsonObject { ["actions"] = actions }, cancellationToken);
            foreach (var name in old.Where(n => n != index))
                await SendAsync(TransportMethod.DELETE, "/" + name, null, cancellationToken, allowNotFound: true);
        }
        catch
        {
            _faulted = true;
            SearchMetrics.Rebuilds.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            await TryDropAsync(index);
            throw;
        }
        finally
        {
            _building = null;
        }
        _faulted = false;
        _state = SearchIndexState.Ready;
        SearchMetrics.Rebuilds.Add(1, new KeyValuePair<string, object?>("outcome", "completed"));
        progress?.Report(new SearchRebuildProgress(indexed, stopwatch.Elapsed, Completed: true));
        LogRebuilt(Alias, index, indexed, stopwatch.Elapsed.TotalSeconds);
    }

    public async Task IndexAsync(IEnumerable<SearchDocument> documents, CancellationToken cancellationToken = default)
    {
        var list = documents.ToList();
        if (list.Count == 0) return;
        EnsureOpen();
        await BulkAsync(Alias, [.. list], refresh: true, cancellationToken);
        if (_building is { } building) await BulkAsync(building, [.. list], refresh: false, cancellationToken);
    }

    public async Task IndexDecisionAsync(DecisionDocument decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var source = ElasticsearchSchema.Source(decision); // fails on a bad decision before anything is written
        EnsureOpen();
        var id = Uri.EscapeDataString(DocumentDescription.KeyOf(decision.Type, decision.Id));
        // refresh=true, not wait_for: a decision must be searchable within a second and publications are rare, so the
        // forced refresh costs little; bulk writes wait for the periodic one.
        await SendAsync(TransportMethod.PUT, $"/{Alias}/_doc/{id}?refresh=true", source, cancellationToken);
        if (_building is { } building) await SendAsync(TransportMethod.PUT, $"/{building}/_doc/{id}", source, cancellationToken);
    }

    public async Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = request.Validate();
        if (errors.Count > 0) throw new SearchRequestException(errors);
        var query = UserQuery.Parse(request.Query);
        if (_state == SearchIndexState.Closed) throw new SearchUnavailableException("The search index is not open.");
        var json = await SendAsync(TransportMethod.POST, $"/{Alias}/_search", ElasticsearchQuery.SearchBody(request, query), cancellationToken, searching: true);
        return ElasticsearchResponses.ReadSearch(json!, request, _state);
    }

    /// <summary>
    /// Asks for the alias's document count: it needs only the read privilege the portal has anyway (the cluster health
    /// API needs "monitor", which a key restricted to the portal's indices lacks).
    /// </summary>
    public async Task<SearchBackendStatus> CheckAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await Client.Transport.RequestAsync<StringResponse>(
                new EndpointPath(TransportMethod.GET, $"/{Alias}/_count"), null, null, null, cancellationToken);
            var state = Describe(_state);
            switch (response.ApiCallDetails.HttpStatusCode)
            {
                case null:
                    return new(false, $"elasticsearch unreachable ({Kind(response)}); index {Alias} {state}");
                case >= 200 and <= 299:
                    using (var count = JsonDocument.Parse(response.Body))
                        return new(_state != SearchIndexState.Closed,
                            $"elasticsearch answers; index {Alias} {state}, {count.RootElement.GetProperty("count").GetInt64()} documents");
                case 404:
                    // The cluster answers; the index is not there yet (being built) or gone (being repaired).
                    return new(_state == SearchIndexState.Rebuilding, $"elasticsearch answers; index {Alias} missing, {state}");
                case var status:
                    return new(false, $"elasticsearch answered {status} ({ElasticsearchResponses.ReadError(response.Body)?.Type ?? "error"}); index {Alias} {state}");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new(false, $"elasticsearch unreachable ({e.GetType().Name}); index {Alias} {Describe(_state)}");
        }
    }

    /// <summary>Drops a half-built index; a failure here leaves an unused index behind, which the next rebuild's swap ignores.</summary>
    private async Task TryDropAsync(string index)
    {
        try
        {
            await SendAsync(TransportMethod.DELETE, "/" + index, null, CancellationToken.None, allowNotFound: true);
        }
        catch (SearchUnavailableException)
        {
        }
    }

    private static string Describe(SearchIndexState state) => state switch
    {
        SearchIndexState.Ready => "ready",
        SearchIndexState.Rebuilding => "rebuilding",
        _ => "not open",
    };

    private void EnsureOpen()
    {
        if (_state == SearchIndexState.Closed) throw new SearchUnavailableException("The search index is not open.");
    }

    private Task PutTemplateAsync(CancellationToken cancellationToken) =>
        SendAsync(TransportMethod.PUT, $"/_index_template/{Alias}", ElasticsearchSchema.IndexTemplate(Alias), cancellationToken);

    /// <summary>The indices the alias points at (none when it does not exist).</summary>
    private async Task<List<string>> AliasTargetsAsync(CancellationToken cancellationToken)
    {
        var json = await SendAsync(TransportMethod.GET, $"/_alias/{Alias}", null, cancellationToken, allowNotFound: true);
        if (json is null) return [];
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
    }

    private async Task<(string? Schema, string? Fingerprint)> MetaAsync(string index, CancellationToken cancellationToken)
    {
        var json = await SendAsync(TransportMethod.GET, $"/{index}/_mapping", null, cancellationToken);
        using var document = JsonDocument.Parse(json!);
        foreach (var entry in document.RootElement.EnumerateObject())
            if (entry.Value.TryGetProperty("mappings", out var mappings) && mappings.TryGetProperty("_meta", out var meta))
                return (meta.TryGetProperty("schema", out var s) ? s.GetString() : null, meta.TryGetProperty("fingerprint", out var f) ? f.GetString() : null);
        return (null, null);
    }

    private async Task<int> BulkAsync(string index, List<SearchDocument> batch, bool refresh, CancellationToken cancellationToken)
    {
        var count = batch.Count;
        if (count == 0) return 0;
        var body = BulkBody(batch);
        batch.Clear();
        var json = await SendRawAsync(TransportMethod.POST, $"/{index}/_bulk" + (refresh ? "?refresh=wait_for" : ""), body, NdJson, cancellationToken);
        if (ElasticsearchResponses.BulkFailure(json) is { } failure)
            throw new InvalidOperationException($"Elasticsearch refused documents of index {index}: {failure}");
        return count;
    }

    /// <summary>The NDJSON of a bulk request: an index action (the key as id) and the source per document.</summary>
    internal static string BulkBody(IEnumerable<SearchDocument> documents)
    {
        var body = new StringBuilder();
        foreach (var document in documents)
        {
            var source = ElasticsearchSchema.Source(document);
            body.Append(new JsonObject { ["index"] = new JsonObject { ["_id"] = DocumentDescription.KeyOf(document.Type, document.Id) } }.ToJsonString(ElasticsearchSchema.Json)).Append('\n');
            body.Append(source.ToJsonString(ElasticsearchSchema.Json)).Append('\n');
        }
        return body.ToString();
    }

    private Task<string?> SendAsync(TransportMethod method, string path, JsonNode? body, CancellationToken cancellationToken, bool allowNotFound = false, bool searching = false) =>
        SendRawCoreAsync(method, path, body?.ToJsonString(ElasticsearchSchema.Json), null, cancellationToken, allowNotFound, searching);

    private async Task<string> SendRawAsync(TransportMethod method, string path, string body, RequestConfiguration configuration, CancellationToken cancellationToken) =>
        (await SendRawCoreAsync(method, path, body, configuration, cancellationToken, allowNotFound: false, searching: false))!;

    /// <summary>
    /// One request through the client's transport (its node pool, retries, authentication, certificate check). An error
    /// becomes <see cref="SearchUnavailableException"/> (unreachable, index gone: the hosted service repairs) or
    /// <see cref="SearchRequestException"/> (a query Elasticsearch refuses as too complex); messages name no URL or credential.
    /// </summary>
    private async Task<string?> SendRawCoreAsync(TransportMethod method, string path, string? body, RequestConfiguration? configuration,
        CancellationToken cancellationToken, bool allowNotFound, bool searching)
    {
        var response = await Client.Transport.RequestAsync<StringResponse>(
            new EndpointPath(method, path), body is null ? null : PostData.String(body), null, configuration, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        var status = response.ApiCallDetails.HttpStatusCode;
        if (status is >= 200 and <= 299) return response.Body;
        if (status == 404 && allowNotFound) return null;
        var error = ElasticsearchResponses.ReadError(response.Body);
        SearchMetrics.BackendFailures.Add(1, new KeyValuePair<string, object?>("kind", status is null ? "unreachable" : "refused"));
        if (status is null)
        {
            LogUnreachable(method.ToString(), OperationOf(path), Kind(response));
            throw new SearchUnavailableException("The search backend cannot be reached.");
        }
        LogRefused(method.ToString(), OperationOf(path), status.Value, error?.Type ?? "", error?.Reason ?? "");
        if (status == 404 && error?.Type == "index_not_found_exception")
        {
            _faulted = true; // the alias or its index is gone: rebuilt by the hosted service
            throw new SearchUnavailableException("The search index is missing and is being rebuilt.");
        }
        if (searching && status == 400 && error?.Type is "too_many_clauses" or "too_many_nested_clauses")
            throw UserQuerySyntax.TooComplex();
        if (searching && status == 400 && error?.Type is "query_shard_exception" or "parse_exception" or "x_content_parse_exception")
            throw UserQuerySyntax.SyntaxError();
        throw new SearchUnavailableException($"The search backend refused the request ({status}).");
    }

    // The path without ids or index names beyond the operation, for logs.
    private static string OperationOf(string path)
    {
        var cut = path.IndexOf('?');
        var bare = cut >= 0 ? path[..cut] : path;
        var slash = bare.LastIndexOf('/');
        return slash >= 0 && bare[(slash + 1)..].StartsWith('_') ? bare[(slash + 1)..] : bare.Contains("/_doc/", StringComparison.Ordinal) ? "_doc" : "index";
    }

    private static string Kind(StringResponse response) => response.ApiCallDetails.OriginalException?.GetType().Name ?? "no response";

    public void Dispose()
    {
        _state = SearchIndexState.Closed;
        // The settings own the HTTP connections.
        (_settings as IDisposable)?.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Elasticsearch index {Alias} opened ({Index}).")]
    private partial void LogOpened(string alias, string index);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elasticsearch index {Alias} is {Reason}; rebuilding it.")]
    private partial void LogRebuilding(string alias, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Elasticsearch index {Alias} rebuilt into {Index}: {DocumentCount} documents in {Seconds:F1} s.")]
    private partial void LogRebuilt(string alias, string index, long documentCount, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Elasticsearch index {Alias} has no document source; it starts empty.")]
    private partial void LogNoSource(string alias);

    [LoggerMessage(Level = LogLevel.Error, Message = "Elasticsearch could not be reached for {Method} {Operation} ({Failure}).")]
    private partial void LogUnreachable(string method, string operation, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Elasticsearch refused {Method} {Operation}: {Status} {ErrorType}: {Reason}")]
    private partial void LogRefused(string method, string operation, int status, string errorType, string reason);
}
