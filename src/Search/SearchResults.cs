using Portal.Search.Documents;

namespace Portal.Search;

public sealed record SearchResults
{
    public required string Query { get; init; }
    public required int Page { get; init; }
    public required int PageSize { get; init; }

    /// <summary>Hits of the requested types.</summary>
    public required int Total { get; init; }

    /// <summary>Hits per type for the same query, region and dates, whatever the type filter (for the result page's tabs).</summary>
    public required IReadOnlyDictionary<string, int> Counts { get; init; }
    public required IReadOnlyList<SearchHit> Hits { get; init; }
    public required SearchIndexState IndexState { get; init; }
}

/// <summary>
/// One hit. <see cref="Title"/> and <see cref="Snippet"/> are HTML: the text is escaped and the only markup is
/// &lt;mark&gt; around the matched words.
/// </summary>
public sealed record SearchHit
{
    public required SearchDocumentType Type { get; init; }
    public required string Id { get; init; }
    public string? Url { get; init; }

    /// <summary>The culture the title and snippet are in.</summary>
    public required string Language { get; init; }
    public required string Title { get; init; }
    public required string Snippet { get; init; }
    public string? RegionId { get; init; }
    public DateOnly? Date { get; init; }
    public float Score { get; init; }

    /// <summary>Type-specific facts: number, party, constituency, votersOnList, commission...</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();
}
