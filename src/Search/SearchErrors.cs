namespace Portal.Search;

/// <summary>One problem with a request, as the API returns it: {"field","code","message"}.</summary>
public sealed record SearchError(string Field, string Code, string Message);

/// <summary>The request cannot be answered as asked (malformed query, bad paging). The API answers 400.</summary>
public sealed class SearchRequestException : Exception
{
    public SearchRequestException(IReadOnlyList<SearchError> errors)
        : base(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"))) => Errors = errors;

    public SearchRequestException(string field, string code, string message) : this([new SearchError(field, code, message)]) { }

    public IReadOnlyList<SearchError> Errors { get; }
}

/// <summary>The index is not open yet or is being repaired. The API answers 503.</summary>
public sealed class SearchUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
