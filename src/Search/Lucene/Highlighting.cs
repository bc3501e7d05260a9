using Lucene.Net.Search;
using Portal.Search.Text;

namespace Portal.Search.Lucene;

/// <summary>
/// Highlighting without Lucene.Net.Highlighter (not available here): the query's terms per analysis family are
/// collected, the stored text is analysed again, and matching tokens are wrapped in &lt;mark&gt; by their offsets.
/// Everything else is HTML-escaped, so the only markup in the output is the marks.
/// </summary>
internal sealed class QueryTerms
{
    private readonly Dictionary<SearchFields.Family, HashSet<string>> _terms = [];
    private readonly Dictionary<SearchFields.Family, List<string>> _prefixes = [];
    // Highlighting compares every token of a text: looked up by its chars, with no string made per token.
    private readonly Dictionary<SearchFields.Family, HashSet<string>.AlternateLookup<ReadOnlySpan<char>>> _lookups = [];

    public bool IsEmpty => _terms.Count == 0 && _prefixes.Count == 0;

    public static QueryTerms From(Query? query)
    {
        var terms = new QueryTerms();
        if (query is not null) terms.Collect(query);
        return terms;
    }

    private void Collect(Query query)
    {
        switch (query)
        {
            case BooleanQuery boolean:
                foreach (var clause in boolean.Clauses)
                    if (clause.Occur != Occur.MUST_NOT) Collect(clause.Query);
                break;
            case TermQuery term:
                Add(term.Term.Field, term.Term.Text, prefix: false);
                break;
            case PhraseQuery phrase:
                foreach (var t in phrase.GetTerms()) Add(t.Field, t.Text, prefix: false);
                break;
            case MultiPhraseQuery multi:
                foreach (var array in multi.GetTermArrays())
                    foreach (var t in array) Add(t.Field, t.Text, prefix: false);
                break;
            case PrefixQuery prefix:
                Add(prefix.Prefix.Field, prefix.Prefix.Text, prefix: true);
                break;
            case DisjunctionMaxQuery max:
                foreach (var q in max) Collect(q);
                break;
            case ConstantScoreQuery constant when constant.Query is not null:
                Collect(constant.Query);
                break;
        }
    }

    private void Add(string field, string text, bool prefix)
    {
        if (SearchFields.FamilyOf(field) is not { } family || text.Length == 0) return;
        if (prefix)
        {
            if (!_prefixes.TryGetValue(family, out var list)) _prefixes[family] = list = [];
            if (!list.Contains(text)) list.Add(text);
        }
        else
        {
            if (!_terms.TryGetValue(family, out var set))
            {
                _terms[family] = set = new(StringComparer.Ordinal);
                _lookups[family] = set.GetAlternateLookup<ReadOnlySpan<char>>();
            }
            set.Add(text);
        }
    }

    public bool Has(SearchFields.Family family) => _terms.ContainsKey(family) || _prefixes.ContainsKey(family);

    public bool Matches(SearchFields.Family family, ReadOnlySpan<char> term)
    {
        if (_lookups.TryGetValue(family, out var lookup) && lookup.Contains(term)) return true;
        if (!_prefixes.TryGetValue(family, out var prefixes)) return false;
        foreach (var prefix in prefixes)
            if (term.StartsWith(prefix, StringComparison.Ordinal)) return true;
        return false;
    }
}

/// <summary>Finds a hit's matched words with Lucene's analyzers; <see cref="HighlightMarkup"/> turns them into HTML.</summary>
internal static class Highlighter
{
    /// <summary>The spans of <paramref name="text"/> that match the query, merged and ordered.</summary>
    /// <param name="window">When given, analysis stops this many characters after the first match: a snippet shows no more.</param>
    public static List<(int Start, int End)> Matches(SearchAnalyzers analyzers, QueryTerms terms, string text, IReadOnlyList<SearchFields.Family> families, int? window = null)
    {
        var spans = new List<(int Start, int End)>();
        if (terms.IsEmpty || text.Length == 0) return spans;
        var limit = int.MaxValue;
        foreach (var family in families.Where(terms.Has))
        {
            using var tokens = analyzers.OpenHighlight(family, text);
            while (tokens.MoveNext(limit))
            {
                if (!terms.Matches(family, tokens.Term) || tokens.End <= tokens.Start) continue;
                spans.Add(HighlightMarkup.Trim(text, tokens.Start, tokens.End));
                if (window is { } w && limit == int.MaxValue) limit = tokens.Start + w;
            }
        }
        return HighlightMarkup.Merge(spans);
    }

    /// <summary>
    /// The spans of several texts (a hit's body in each of its languages) that match the query, each merged and ordered.
    /// The texts are analysed side by side, and each only up to <paramref name="window"/> characters after the earliest
    /// match found in any of them: a snippet shows no more, and a language whose text has no match near its start is
    /// not analysed to its end just to find that out. <paramref name="first"/> is the text that holds that earliest
    /// match (-1 when none matches).
    /// </summary>
    public static List<(int Start, int End)>[] MatchesSideBySide(
        SearchAnalyzers analyzers, QueryTerms terms, IReadOnlyList<(string Text, SearchFields.Family[] Families)> texts, int window, out int first)
    {
        first = -1;
        if (texts.Count > SearchAnalyzers.HighlightSlots) throw new ArgumentOutOfRangeException(nameof(texts), "Too many texts side by side.");
        var spans = new List<(int Start, int End)>[texts.Count];
        for (var i = 0; i < texts.Count; i++) spans[i] = [];
        if (terms.IsEmpty) return spans;
        var limit = int.MaxValue;
        var streams = new List<(int Text, SearchFields.Family Family, HighlightTokens Tokens)>();
        try
        {
            for (var i = 0; i < texts.Count; i++)
            {
                if (texts[i].Text.Length == 0) continue;
                foreach (var family in texts[i].Families.Where(terms.Has))
                {
                    var tokens = analyzers.OpenHighlight(family, texts[i].Text, slot: i);
                    if (tokens.MoveNext(limit)) streams.Add((i, family, tokens));
                    else tokens.Dispose();
                }
            }
            while (streams.Count > 0)
            {
                // The stream furthest behind goes next, so the limit set by the earliest match stops all of them.
                var next = 0;
                for (var k = 1; k < streams.Count; k++)
                    if (streams[k].Tokens.Start < streams[next].Tokens.Start) next = k;
                var (text, family, stream) = streams[next];
                if (terms.Matches(family, stream.Term) && stream.End > stream.Start)
                {
                    spans[text].Add(HighlightMarkup.Trim(texts[text].Text, stream.Start, stream.End));
                    if (limit == int.MaxValue)
                    {
                        limit = stream.Start + window;
                        first = text;
                    }
                }
                if (!stream.MoveNext(limit))
                {
                    stream.Dispose();
                    streams.RemoveAt(next);
                }
            }
        }
        finally
        {
            foreach (var (_, _, stream) in streams) stream.Dispose();
        }
        for (var i = 0; i < spans.Length; i++) spans[i] = HighlightMarkup.Merge(spans[i]);
        return spans;
    }
}
