using Lucene.Net.Analysis;
using Lucene.Net.Analysis.CharFilters;
using Lucene.Net.Analysis.TokenAttributes;
using Portal.Search.Text;

namespace Portal.Search.Lucene;

/// <summary>Lucene's form of the shared folding table (<see cref="UzbekFolding"/>).</summary>
internal static class LuceneFolding
{
    internal static readonly NormalizeCharMap CharMap = BuildCharMap();

    private static NormalizeCharMap BuildCharMap()
    {
        var builder = new NormalizeCharMap.Builder();
        foreach (var (from, to) in UzbekFolding.CharMappings()) builder.Add(from, to);
        return builder.Build();
    }
}

/// <summary>Applies <see cref="UzbekFolding.FoldY"/> to each (lower-cased, ASCII-folded) term.</summary>
internal sealed class UzbekYFoldingFilter : TokenFilter
{
    private readonly ICharTermAttribute _term;

    public UzbekYFoldingFilter(TokenStream input) : base(input) => _term = AddAttribute<ICharTermAttribute>();

    public override bool IncrementToken()
    {
        if (!m_input.IncrementToken()) return false;
        var length = UzbekFolding.FoldY(_term.Buffer, _term.Length);
        _term.Length = length;
        return true;
    }
}
