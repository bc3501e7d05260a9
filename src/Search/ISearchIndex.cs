using System.Text.Json.Serialization;
using Portal.Search.Documents;

namespace Portal.Search;

/// <summary>
/// The search engine behind the portal: embedded Lucene.NET by default, or one Elasticsearch index for every node
/// (<c>Search:Backend</c>). Every method is async and nothing here exposes either engine's types.
/// </summary>
public interface ISearchIndex
{
    SearchIndexState State { get; }

    /// <summary>Opens the index, rebuilding it from <paramref name="source"/> when it is missing, corrupt, of an older schema or built from other documents.</summary>
    Task OpenAsync(ISearchDocumentSource? source, IProgress<SearchRebuildProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Drops the index and indexes every document of the source again.</summary>
    Task RebuildAsync(ISearchDocumentSource source, IProgress<SearchRebuildProgress>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>Adds or replaces documents (by type and id).</summary>
    Task IndexAsync(IEnumerable<SearchDocument> documents, CancellationToken cancellationToken = default);

    /// <summary>The publishing hook: adds or replaces a decision; when the task completes the decision is searchable and durable.</summary>
    Task IndexDecisionAsync(DecisionDocument decision, CancellationToken cancellationToken = default);

    /// <exception cref="SearchRequestException">The request is invalid (malformed query, bad paging): a 400.</exception>
    /// <exception cref="SearchUnavailableException">The index is not open or is being repaired: a 503.</exception>
    Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default);

    /// <summary>True when the index is gone or broken and should be rebuilt (the hosted service checks this periodically).</summary>
    bool NeedsRepair { get; }

    /// <summary><see cref="SearchOptions.LuceneBackend"/> or <see cref="SearchOptions.ElasticsearchBackend"/>.</summary>
    string Backend { get; }

    /// <summary>True when every node reads and writes this one index (a node need not index what another published).</summary>
    bool IsShared { get; }

    /// <summary>For /healthz: Lucene is healthy when open; Elasticsearch when the cluster answers and the index is open.</summary>
    Task<SearchBackendStatus> CheckAsync(CancellationToken cancellationToken = default);
}

[JsonConverter(typeof(JsonStringEnumConverter<SearchIndexState>))]
public enum SearchIndexState
{
    [JsonStringEnumMemberName("closed")] Closed,
    [JsonStringEnumMemberName("rebuilding")] Rebuilding,
    [JsonStringEnumMemberName("ready")] Ready,
}

public sealed record SearchRebuildProgress(long Indexed, TimeSpan Elapsed, bool Completed);

/// <summary>Whether the backend can answer now, and a line for /healthz (names no URL or credential).</summary>
public sealed record SearchBackendStatus(bool Healthy, string Description);
