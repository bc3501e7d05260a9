using Portal.Search.Documents;

namespace Portal.Search;

/// <summary>
/// Where the index is rebuilt from. The host implements it from the election definition and the published decisions.
/// </summary>
public interface ISearchDocumentSource
{
    /// <summary>
    /// Changes when the documents change (e.g. a hash of the election definition). The index remembers the fingerprint it
    /// was built from and is rebuilt at open when it differs. Null: never rebuild for this reason.
    /// </summary>
    ValueTask<string?> GetFingerprintAsync(CancellationToken cancellationToken);

    IAsyncEnumerable<SearchDocument> ReadAllAsync(CancellationToken cancellationToken);
}
