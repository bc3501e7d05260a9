using Portal.Search.Documents;

namespace Portal.Search;

public sealed record SearchRequest
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    /// <summary>Deep paging is bounded: page * pageSize may not pass this.</summary>
    public const int MaxResultWindow = 10_000;

    /// <summary>Longer queries are refused (a person does not type more; a script should not make us parse more).</summary>
    public const int MaxQueryLength = 300;

    /// <summary>Words, "phrases", AND/OR/NOT, +/-, trailing * for a prefix. The last word is also matched as a prefix while typing.</summary>
    public string? Query { get; init; }

    /// <summary>Empty: every type.</summary>
    public IReadOnlyCollection<SearchDocumentType> Types { get; init; } = [];
    public string? RegionId { get; init; }

    /// <summary>Inclusive date range; only dated documents (decisions) fall in a range.</summary>
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = DefaultPageSize;

    /// <summary>The culture to show a hit in when several match equally (uz, uz-Cyrl, ru, en).</summary>
    public string? Language { get; init; }

    /// <summary>Every problem with the request, empty when it is valid.</summary>
    public IReadOnlyList<SearchError> Validate()
    {
        var errors = new List<SearchError>();
        if (Query is { Length: > MaxQueryLength })
            errors.Add(new("q", "too_long", $"The query is longer than {MaxQueryLength} characters."));
        if (Page < 1)
            errors.Add(new("page", "out_of_range", "page must be 1 or more."));
        if (PageSize is < 1 or > MaxPageSize)
            errors.Add(new("pageSize", "out_of_range", $"pageSize must be between 1 and {MaxPageSize}."));
        else if (Page >= 1 && (long)Page * PageSize > MaxResultWindow)
            errors.Add(new("page", "too_deep", $"Only the first {MaxResultWindow} results can be paged through; narrow the search."));
        if (From is { } from && To is { } to && from > to)
            errors.Add(new("to", "before_from", "to must not be before from."));
        return errors;
    }
}
