using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Portal.Search.Documents;

namespace Portal.Search.Lucene;

/// <summary>
/// Counts hits per document type (Lucene.Net.Facet is not available here) and passes the hits of the wanted types on
/// to the collector of the page, so one pass over the matches serves both the page and the per-type counts.
/// </summary>
internal sealed class TypeCountCollector(ICollector page, IReadOnlyCollection<SearchDocumentType> wanted) : ICollector
{
    private readonly int[] _counts = new int[SearchDocumentTypes.All.Count];
    private readonly bool[] _wanted = [.. SearchDocumentTypes.All.Select(t => wanted.Count == 0 || wanted.Contains(t))];
    // The type of every document of a segment, read once per segment (its core outlives reopens): the doc values
    // are read from disk per call, and a broad query asks for tens of thousands of them.
    private static readonly ConditionalWeakTable<object, sbyte[]> TypesByCore = new();
    private sbyte[]? _types;

    public int this[SearchDocumentType type] => _counts[(int)type];

    public bool AcceptsDocsOutOfOrder => page.AcceptsDocsOutOfOrder;

    public void SetScorer(Scorer scorer) => page.SetScorer(scorer);

    public void SetNextReader(AtomicReaderContext context)
    {
        var reader = context.AtomicReader;
        _types = TypesByCore.GetValue(reader.CoreCacheKey, _ => LoadTypes(reader));
        page.SetNextReader(context);
    }

    public void Collect(int doc)
    {
        if (Count(doc)) page.Collect(doc);
    }

    /// <summary>Counts the document by its type; true when its type is wanted on the page.</summary>
    public bool Count(int doc)
    {
        if (_types is null) return false;
        var type = _types[doc];
        if (type < 0) return false;
        _counts[type]++;
        return _wanted[type];
    }

    private static sbyte[] LoadTypes(AtomicReader reader)
    {
        var types = new sbyte[reader.MaxDoc];
        var values = reader.GetNumericDocValues(SearchFields.TypeNumber);
        for (var doc = 0; doc < types.Length; doc++)
        {
            var type = values?.Get(doc) ?? -1;
            types[doc] = type >= 0 && type < SearchDocumentTypes.All.Count ? (sbyte)type : (sbyte)-1;
        }
        return types;
    }

    /// <summary>Passes a document <see cref="Count"/> said is wanted on to the page.</summary>
    public void CollectCounted(int doc) => page.Collect(doc);
}
