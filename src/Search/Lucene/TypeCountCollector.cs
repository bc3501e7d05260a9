using Lucene.Net.Index;
using Lucene.Net.Search;
using Portal.Search.Documents;

namespace Portal.Search.Lucene;

/// <summary>Counts hits per document type in one pass (Lucene.Net.Facet is not available here).</summary>
internal sealed class TypeCountCollector : ICollector
{
    private readonly int[] _counts = new int[SearchDocumentTypes.All.Count];
    private NumericDocValues? _types;

    public int this[SearchDocumentType type] => _counts[(int)type];

    public bool AcceptsDocsOutOfOrder => true;

    public void SetScorer(Scorer scorer) { }

    public void SetNextReader(AtomicReaderContext context) => _types = context.AtomicReader.GetNumericDocValues(SearchFields.TypeNumber);

    public void Collect(int doc)
    {
        if (_types is null) return;
        var type = _types.Get(doc);
        if (type >= 0 && type < _counts.Length) _counts[type]++;
    }
}
