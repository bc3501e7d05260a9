using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portal.Grains.Model;
using Portal.Ingest.Decisions;
using Portal.Search;
using Portal.Search.Documents;

namespace Portal.Ingest.Search;

/// <summary>What the search index is rebuilt from: the loaded election and every published decision.</summary>
public sealed class ElectionSearchDocumentSource(ElectionCatalog catalog, IDecisionArchive decisions) : ISearchDocumentSource
{
    public async ValueTask<string?> GetFingerprintAsync(CancellationToken cancellationToken)
    {
        // A hash of what would be indexed: a new election file or another set of decisions means a rebuild at start.
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await foreach (var document in ReadAllAsync(cancellationToken))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(document.Type.ToWire()));
            hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(document, document.GetType()));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public async IAsyncEnumerable<SearchDocument> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var document in ElectionSearchDocuments.Map(catalog.Election))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return document;
        }
        foreach (var decision in await decisions.ListAsync(cancellationToken))
            yield return decision;
    }
}
