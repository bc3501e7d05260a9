using Lucene.Net.Analysis;
using Lucene.Net.Analysis.CharFilters;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Ru;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

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
    public const string Date = "date";         // yyyyMMdd, indexed for ranges
    public const string DateSort = "date_dv";
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
            createComponents: (_, reader) =>
            {
                var tokenizer = new StandardTokenizer(SearchFields.Version, reader);
                TokenStream stream = new LowerCaseFilter(SearchFields.Version, tokenizer);
                stream = new ASCIIFoldingFilter(stream);
                stream = new UzbekYFoldingFilter(stream);
                return new TokenStreamComponents(tokenizer, stream);
            },
            initReader: (_, reader) => new MappingCharFilter(UzbekFolding.CharMap, reader));
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
    public static IEnumerable<(string Term, int Start, int End)> Tokens(Analyzer analyzer, string text, Func<int> limit)
    {
        using var stream = analyzer.GetTokenStream("highlight", text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offsets = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            if (offsets.StartOffset > limit()) break;
            yield return (term.ToString(), offsets.StartOffset, offsets.EndOffset);
        }
        stream.End();
    }

    public void Dispose()
    {
        PerField.Dispose();
        Folded.Dispose();
        Russian.Dispose();
        English.Dispose();
    }
}
