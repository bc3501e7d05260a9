using System.Buffers;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.CharFilters;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Ru;
using Lucene.Net.Analysis.Snowball;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;
using Lucene.Net.Tartarus.Snowball.Ext;
using Portal.Search.Text;

namespace Portal.Search.Lucene;

/// <summary>
/// The fields text is indexed into. Every text goes into three families: folded (Uzbek in either script, names,
/// addresses; no stemming), Russian (stemmed), English (stemmed). A query looks in all of them.
/// </summary>
internal static class SearchFields
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    public const string Key = "key";          // type:id, unique; also the tie-breaking sort
    public const string Id = "id";
    public const string Type = "type";
    public const string TypeNumber = "type_n"; // doc values, for the per-type counts
    public const string Region = "region";
    public const string Date = "date";         // yyyyMMdd, stored
    public const string DateSort = "date_dv";  // the same, doc values: the date filter and the sort
    public const string Url = "url";
    public const string StoredTitle = "t.";    // + culture
    public const string StoredBody = "b.";     // + culture
    public const string StoredDetail = "d.";   // + name

    public const string TitleFolded = "title_f";
    public const string TitleRussian = "title_ru";
    public const string TitleEnglish = "title_en";
    public const string BodyFolded = "body_f";
    public const string BodyRussian = "body_ru";
    public const string BodyEnglish = "body_en";

    public static readonly string[] TextFields = [TitleFolded, TitleRussian, TitleEnglish, BodyFolded, BodyRussian, BodyEnglish];
    public static readonly string[] FoldedFields = [TitleFolded, BodyFolded];

    public static readonly Dictionary<string, float> Boosts = new()
    {
        [TitleFolded] = 3f, [TitleRussian] = 2.5f, [TitleEnglish] = 2.5f,
        [BodyFolded] = 1f, [BodyRussian] = 0.8f, [BodyEnglish] = 0.8f,
    };

    public enum Family { Folded, Russian, English }

    private static readonly Family[] FoldedOnly = [Family.Folded];
    private static readonly Family[] FoldedRussian = [Family.Folded, Family.Russian];
    private static readonly Family[] FoldedEnglish = [Family.Folded, Family.English];

    /// <summary>The families a text of a culture is indexed (and highlighted) in.</summary>
    public static Family[] FamiliesOf(string culture) => culture switch
    {
        "ru" => FoldedRussian,
        "en" => FoldedEnglish,
        _ => FoldedOnly,
    };

    public static (string Title, string Body) FieldsOf(Family family) => family switch
    {
        Family.Folded => (TitleFolded, BodyFolded),
        Family.Russian => (TitleRussian, BodyRussian),
        _ => (TitleEnglish, BodyEnglish),
    };

    public static Family? FamilyOf(string field) => field switch
    {
        TitleFolded or BodyFolded => Family.Folded,
        TitleRussian or BodyRussian => Family.Russian,
        TitleEnglish or BodyEnglish => Family.English,
        _ => null,
    };
}

/// <summary>The analyzers; thread-safe, one set per index.</summary>
internal sealed class SearchAnalyzers : IDisposable
{
    public SearchAnalyzers()
    {
        Folded = Analyzer.NewAnonymous(
            createComponents: (_, reader) => FoldedChain(reader, lowerCase: true),
            initReader: (_, reader) => new MappingCharFilter(LuceneFolding.CharMap, reader));

        // Highlighting re-analyses the stored text of a page of hits. These chains give the same terms as the ones
        // above for text that was lower-cased (and, for the folded one, folded) beforehand as a whole: Lucene's
        // LowerCaseFilter lower-cases char by char through the culture tables, and the char filter reads one char at
        // a time under a lock; together they were most of the highlighting cost. A test holds the chains equal.
        // Two of each: a hit's two likeliest languages are analysed side by side on one thread, and an analyzer reuses
        // one token stream per thread.
        for (var slot = 0; slot < HighlightSlots; slot++)
        {
            _highlightFolded[slot] = CreateHighlightFolded();
            _highlightRussian[slot] = CreateHighlightRussian();
            _highlightEnglish[slot] = CreateHighlightEnglish();
        }
        Russian = new RussianAnalyzer(SearchFields.Version);
        English = new EnglishAnalyzer(SearchFields.Version);
        PerField = new PerFieldAnalyzerWrapper(Folded, new Dictionary<string, Analyzer>
        {
            [SearchFields.TitleFolded] = Folded, [SearchFields.BodyFolded] = Folded,
            [SearchFields.TitleRussian] = Russian, [SearchFields.BodyRussian] = Russian,
            [SearchFields.TitleEnglish] = English, [SearchFields.BodyEnglish] = English,
        });
    }

    public Analyzer Folded { get; }

    /// <summary>How many texts can be analysed side by side with <see cref="OpenHighlight"/>.</summary>
    public const int HighlightSlots = 2;

    private readonly Analyzer[] _highlightFolded = new Analyzer[HighlightSlots];
    private readonly Analyzer[] _highlightRussian = new Analyzer[HighlightSlots];
    private readonly Analyzer[] _highlightEnglish = new Analyzer[HighlightSlots];

    /// <summary>The folded chain; without lower-casing for highlighting, whose text is lower-cased and folded beforehand.</summary>
    private static TokenStreamComponents FoldedChain(TextReader reader, bool lowerCase)
    {
        var tokenizer = new StandardTokenizer(SearchFields.Version, reader);
        TokenStream stream = lowerCase ? new LowerCaseFilter(SearchFields.Version, tokenizer) : tokenizer;
        stream = new ASCIIFoldingFilter(stream);
        stream = new UzbekYFoldingFilter(stream);
        return new TokenStreamComponents(tokenizer, stream);
    }

    private static Analyzer CreateHighlightFolded() => Analyzer.NewAnonymous(createComponents: (_, reader) => FoldedChain(reader, lowerCase: false));

    private static Analyzer CreateHighlightRussian() => Analyzer.NewAnonymous(createComponents: (_, reader) =>
    {
        var tokenizer = new StandardTokenizer(SearchFields.Version, reader);
        TokenStream stream = new StandardFilter(SearchFields.Version, tokenizer);
        stream = new StopFilter(SearchFields.Version, stream, RussianAnalyzer.DefaultStopSet);
        stream = new SnowballFilter(stream, new RussianStemmer());
        return new TokenStreamComponents(tokenizer, stream);
    });

    private static Analyzer CreateHighlightEnglish() => Analyzer.NewAnonymous(createComponents: (_, reader) =>
    {
        var tokenizer = new StandardTokenizer(SearchFields.Version, reader);
        TokenStream stream = new StandardFilter(SearchFields.Version, tokenizer);
        stream = new EnglishPossessiveFilter(SearchFields.Version, stream);
        stream = new StopFilter(SearchFields.Version, stream, EnglishAnalyzer.DefaultStopSet);
        stream = new PorterStemFilter(stream);
        return new TokenStreamComponents(tokenizer, stream);
    });

    public Analyzer Russian { get; }
    public Analyzer English { get; }
    public Analyzer PerField { get; }

    public Analyzer For(SearchFields.Family family) => family switch
    {
        SearchFields.Family.Folded => Folded,
        SearchFields.Family.Russian => Russian,
        _ => English,
    };

    /// <summary>The terms (with offsets into <paramref name="text"/>) the analyzer makes of a text.</summary>
    public static List<(string Term, int Start, int End)> Tokens(Analyzer analyzer, string text)
    {
        var tokens = new List<(string Term, int Start, int End)>();
        using var stream = analyzer.GetTokenStream("highlight", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offsets = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) tokens.Add((term.ToString(), offsets.StartOffset, offsets.EndOffset));
        stream.End();
        return tokens;
    }

    /// <summary>All the tokens <see cref="OpenHighlight"/> gives for a text, as strings.</summary>
    public List<(string Term, int Start, int End)> Tokens(SearchFields.Family family, string text)
    {
        var tokens = new List<(string Term, int Start, int End)>();
        using var cursor = OpenHighlight(family, text);
        while (cursor.MoveNext(int.MaxValue)) tokens.Add((cursor.Term.ToString(), cursor.Start, cursor.End));
        return tokens;
    }

    /// <summary>
    /// A cursor over the tokens <see cref="For"/>(<paramref name="family"/>) makes of <paramref name="text"/>, with
    /// offsets into it. The text is lower-cased (and, for the folded family, folded with its offsets mapped back) into
    /// pooled buffers first: the same terms as the index chains give, without their per-char filters, and without a
    /// string per text or per token.
    /// </summary>
    /// <param name="slot">Texts analysed side by side on one thread each take their own slot (0 to <see cref="HighlightSlots"/> - 1).</param>
    public HighlightTokens OpenHighlight(SearchFields.Family family, string text, int slot = 0)
    {
        // Simple case mapping: the lower-cased text has the same length, so offsets stay valid.
        var lower = ArrayPool<char>.Shared.Rent(Math.Max(1, text.Length));
        ToLowerInvariant(text, lower);
        if (family != SearchFields.Family.Folded)
        {
            var analyzer = family == SearchFields.Family.Russian ? _highlightRussian[slot] : _highlightEnglish[slot];
            return new HighlightTokens(analyzer, lower, text.Length, origin: null, text.Length);
        }
        var folded = ArrayPool<char>.Shared.Rent(UzbekFolding.MaxFoldedLength(text.Length));
        var origin = ArrayPool<int>.Shared.Rent(UzbekFolding.MaxFoldedLength(text.Length) + 1);
        var length = UzbekFolding.Fold(lower.AsSpan(0, text.Length), folded, origin);
        ArrayPool<char>.Shared.Return(lower);
        return new HighlightTokens(_highlightFolded[slot], folded, length, origin, text.Length);
    }

    // Lower-casing through the runtime goes to ICU for every non-ASCII char (most of a Cyrillic text), which was a few
    // per cent of a search's CPU: the chars below U+0500 (Latin, Cyrillic) come from a table of the same mappings.
    private const int LowerTableSize = 0x500;
    private static readonly char[] LowerTable = [.. Enumerable.Range(0, LowerTableSize).Select(c => char.ToLowerInvariant((char)c))];

    /// <summary>As <see cref="MemoryExtensions.ToLowerInvariant"/>: simple case mapping, the same length.</summary>
    internal static void ToLowerInvariant(ReadOnlySpan<char> source, Span<char> destination)
    {
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c < LowerTableSize) destination[i] = LowerTable[c];
            else if (!char.IsSurrogate(c)) destination[i] = char.ToLowerInvariant(c);
            else if (char.IsHighSurrogate(c) && i + 1 < source.Length && char.IsLowSurrogate(source[i + 1]))
            {
                source.Slice(i, 2).ToLowerInvariant(destination.Slice(i, 2));
                i++;
            }
            else destination[i] = c;
        }
    }

    public void Dispose()
    {
        PerField.Dispose();
        Folded.Dispose();
        foreach (var analyzer in _highlightFolded.Concat(_highlightRussian).Concat(_highlightEnglish)) analyzer.Dispose();
        Russian.Dispose();
        English.Dispose();
    }
}

/// <summary>
/// The tokens of a lower-cased (and maybe folded) text in pooled buffers, one at a time: the term as chars, the offsets
/// mapped back to the original text. Disposing ends the token stream and returns the buffers.
/// </summary>
internal sealed class HighlightTokens : IDisposable
{
    private readonly TokenStream _stream;
    private readonly ICharTermAttribute _term;
    private readonly IOffsetAttribute _offsets;
    private readonly char[] _text;
    private readonly int _length;
    private readonly int[]? _origin;
    private readonly int _originalLength;
    private bool _done;

    public HighlightTokens(Analyzer analyzer, char[] text, int length, int[]? origin, int originalLength)
    {
        _text = text;
        _length = length;
        _origin = origin;
        _originalLength = originalLength;
        _stream = analyzer.GetTokenStream("highlight", new CharArrayReader(text, length));
        _term = _stream.AddAttribute<ICharTermAttribute>();
        _offsets = _stream.AddAttribute<IOffsetAttribute>();
        _stream.Reset();
    }

    public int Start { get; private set; }
    public int End { get; private set; }
    public ReadOnlySpan<char> Term => _term.Buffer.AsSpan(0, _term.Length);

    /// <summary>The next token; false at the end or when it starts after <paramref name="limit"/> (in the original text).</summary>
    public bool MoveNext(int limit)
    {
        while (!_done && _stream.IncrementToken())
        {
            int start = _offsets.StartOffset, end = _offsets.EndOffset;
            if (_origin is not null)
            {
                if (start < 0 || end > _length || end <= start) continue;
                (start, end) = (_origin[start], _origin[end - 1] + 1);
            }
            if (start > limit) break;
            (Start, End) = (start, Math.Min(end, _originalLength));
            return true;
        }
        _done = true;
        return false;
    }

    public void Dispose()
    {
        try
        {
            _stream.End();
        }
        finally
        {
            _stream.Dispose();
            ArrayPool<char>.Shared.Return(_text);
            if (_origin is not null) ArrayPool<int>.Shared.Return(_origin);
        }
    }

    /// <summary>A reader over the first chars of an array (the tokenizer reads its input in blocks).</summary>
    private sealed class CharArrayReader(char[] text, int length) : TextReader
    {
        private int _position;

        public override int Peek() => _position < length ? text[_position] : -1;

        public override int Read() => _position < length ? text[_position++] : -1;

        public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

        public override int Read(Span<char> buffer)
        {
            var n = Math.Min(buffer.Length, length - _position);
            if (n <= 0) return 0;
            text.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }
}
