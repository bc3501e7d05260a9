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
    private NumericDocValues? _types;

    public int this[SearchDocumentType type] => _counts[(int)type];

    public bool AcceptsDocsOutOfOrder => page.AcceptsDocsOutOfOrder;

    public void SetScorer(Scorer scorer) => page.SetScorer(scorer);

    public void SetNextReader(AtomicReaderContext context)
    {
        _types = context.AtomicReader.GetNumericDocValues(SearchFields.TypeNumber);
        page.SetNextReader(context);
    }

    public void Collect(int doc)
    {
        if (_types is null) return;
        var type = _types.Get(doc);
        if (type < 0 || type >= _counts.Length) return;
        _counts[type]++;
        if (_wanted[type]) page.Collect(doc);
    }
}
