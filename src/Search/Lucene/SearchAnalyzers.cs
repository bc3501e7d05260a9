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
            initReader: (_, reader) => new MappingCharFilter(UzbekFolding.CharMap, reader));

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

    /// <summary>How many texts can be analysed side by side with <see cref="Tokens(SearchFields.Family, string, Func{int}, int)"/>.</summary>
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
    public static List<(string Term, int Start, int End)> Tokens(Analyzer analyzer, string text) => [.. Tokens(analyzer, text, () => int.MaxValue)];

    /// <summary>Lazily, stopping at the first token starting after <paramref name="limit"/>() characters.</summary>
    public static IEnumerable<(string Term, int Start, int End)> Tokens(Analyzer analyzer, string text, Func<int> limit) =>
        Tokens(analyzer, text, origin: null, limit);

    /// <summary>
    /// The tokens <see cref="For"/>(<paramref name="family"/>) makes of <paramref name="text"/>, with offsets into it,
    /// lazily as <see cref="Tokens(Analyzer, string, Func{int})"/>. The folded family folds the text first and maps
    /// the offsets back: the same terms as <see cref="Folded"/>'s char filter gives, at a fraction of the cost.
    /// </summary>
    /// <param name="slot">Texts analysed side by side on one thread each take their own slot (0 to <see cref="HighlightSlots"/> - 1).</param>
    public IEnumerable<(string Term, int Start, int End)> Tokens(SearchFields.Family family, string text, Func<int> limit, int slot = 0)
    {
        // Simple case mapping: the lower-cased text has the same length, so offsets stay valid.
        var lower = text.ToLowerInvariant();
        return family switch
        {
            SearchFields.Family.Folded => Tokens(_highlightFolded[slot], UzbekFolding.Fold(lower, out var origin), origin, limit),
            SearchFields.Family.Russian => Tokens(_highlightRussian[slot], lower, origin: null, limit),
            _ => Tokens(_highlightEnglish[slot], lower, origin: null, limit),
        };
    }

    /// <param name="origin">When given, maps each char of <paramref name="text"/> to its offset in the caller's text.</param>
    private static IEnumerable<(string Term, int Start, int End)> Tokens(Analyzer analyzer, string text, int[]? origin, Func<int> limit)
    {
        using var stream = analyzer.GetTokenStream("highlight", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offsets = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            int start = offsets.StartOffset, end = offsets.EndOffset;
            if (origin is not null)
            {
                if (start < 0 || end > text.Length || end <= start) continue;
                (start, end) = (origin[start], origin[end - 1] + 1);
            }
            if (start > limit()) break;
            yield return (term.ToString(), start, end);
        }
        stream.End();
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
