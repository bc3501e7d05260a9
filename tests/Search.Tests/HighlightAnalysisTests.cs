using Portal.Search.Lucene;

namespace Portal.Search.Tests;

/// <summary>
/// Highlighting analyses stored text with its own cheaper chains (text lower-cased and folded as a whole first);
/// they must give exactly the terms the index has, at offsets that point at the words in the original text.
/// </summary>
public sealed class HighlightAnalysisTests
{
    public static TheoryData<string> Texts =>
    [
        "Oʻzbekiston Respublikasi Markaziy saylov komissiyasining QARORI, O‘ZBEKISTON va O'zbekiston, Gʻafur Gʻulom koʻchasi 12-uy",
        "Ўзбекистон Республикаси Марказий сайлов комиссиясининг ҚАРОРИ: Мирзиёев Шавкат, Тошкент ш., Ғафур Ғулом кўчаси, маълумот",
        "ЦЕНТРАЛЬНАЯ ИЗБИРАТЕЛЬНАЯ КОМИССИЯ: об аккредитации наблюдателей, итоги выборов, избирательных участков № 1234, Ёлкин Щукин",
        "The Commission's observers' ACCREDITATION through E-Saylov; results of the elections, polling stations' webcams, Article 103",
        "Mirziyoyev Yevropa Nayyira café naïve Straße ﬁnal — \"quoted\" <script>alert(1)</script> 2024-10-27 Art. 8/16",
    ];

    [Theory]
    [MemberData(nameof(Texts))]
    public void HighlightChainsGiveTheIndexTermsAtTheWordsOffsets(string text)
    {
        using var analyzers = new SearchAnalyzers();
        foreach (var family in Enum.GetValues<SearchFields.Family>())
        {
            var indexed = SearchAnalyzers.Tokens(analyzers.For(family), text);
            var highlighted = analyzers.Tokens(family, text);

            Assert.Equal(indexed.Select(t => t.Term), highlighted.Select(t => t.Term));
            Assert.NotEmpty(highlighted);
            foreach (var (term, start, end) in highlighted)
            {
                Assert.InRange(start, 0, end - 1);
                Assert.InRange(end, start + 1, text.Length);
                // The span is the word that made the term: analysing just the span gives the term back.
                Assert.Contains(term, SearchAnalyzers.Tokens(analyzers.For(family), text[start..end]).Select(t => t.Term));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Texts))]
    [InlineData("ΣΊΣΥΦΟΣ İstanbul ǅemal Ꭰ 𐐀𐐁 \uD801 x \uDC00 ÀÉÎÕÜ ĀĒĪ ѢѲ ԀԂ")]
    public void LowerCasingMatchesTheRuntimes(string text)
    {
        var lower = new char[text.Length];
        SearchAnalyzers.ToLowerInvariant(text, lower);
        Assert.Equal(text.ToLowerInvariant(), new string(lower));
    }

    [Fact]
    public void FoldedOffsetsSkipApostrophesAroundAWordButKeepTheLetters()
    {
        using var analyzers = new SearchAnalyzers();
        const string text = "'Toshkent' va Oʻzbekiston";

        var tokens = analyzers.Tokens(SearchFields.Family.Folded, text);

        Assert.Equal(["toshkent", "va", "ozbekiston"], tokens.Select(t => t.Term));
        Assert.Equal("Toshkent", text[tokens[0].Start..tokens[0].End]);
        Assert.Equal("Oʻzbekiston", text[tokens[2].Start..tokens[2].End]);
    }
}
