using Portal.Search.Documents;
using Portal.Search.Lucene;

namespace Portal.Search.Tests;

/// <summary>One index over the small corpus, shared by the read-only language tests.</summary>
public sealed class CorpusFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();

    internal LuceneSearchIndex Index { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var documents = Corpus.Documents();
        documents.Add(Corpus.Decision("apostrophes-1", new DateOnly(2024, 7, 1), "Oʻzbekiston (U+02BB)", "Maʼlumot uchun."));
        documents.Add(Corpus.Decision("apostrophes-2", new DateOnly(2024, 7, 2), "O‘zbekiston (U+2018)", "Ma’lumot uchun."));
        documents.Add(Corpus.Decision("apostrophes-3", new DateOnly(2024, 7, 3), "O'zbekiston (ASCII)", "Ma'lumot uchun."));
        documents.Add(Corpus.Decision("apostrophes-4", new DateOnly(2024, 7, 4), "Ўзбекистон (Cyrillic)", "Маълумот учун."));
        documents.Add(new DecisionDocument
        {
            Id = "en-1", Number = "MSK-9-son", Date = new DateOnly(2024, 10, 2), CommissionId = "cec",
            Title = new Dictionary<string, string> { ["en"] = "On the accreditation of international observers" },
            Body = new Dictionary<string, string> { ["en"] = "The observers of the organisation were accredited through the E-Saylov information system." },
        });
        Index = await TestIndex.OpenAsync(_directory.IndexPath, new ListDocumentSource(documents));
    }

    public ValueTask DisposeAsync()
    {
        Index.Dispose();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class LanguageTests(CorpusFixture fixture) : IClassFixture<CorpusFixture>
{
    private ISearchIndex Index => fixture.Index;

    [Theory]
    [InlineData("Мирзиёев")]
    [InlineData("Mirziyoyev")]
    [InlineData("mirziyoev")]
    [InlineData("MIRZIYOYEV")]
    [InlineData("Mirziyoyev Akmal")]
    [InlineData("Мирзиёев Akmal")]
    public async Task UzbekNameMatchesInEitherScriptAndSpelling(string query)
    {
        var ids = await Index.IdsAsync(query, SearchDocumentType.Candidate);
        Assert.Equal(["c-1"], ids);
    }

    [Theory]
    [InlineData("Ўзбекистон")]
    [InlineData("ўзбекистон")]
    [InlineData("O'zbekiston")]
    [InlineData("Oʻzbekiston")]
    [InlineData("O‘zbekiston")]
    [InlineData("O’zbekiston")]
    [InlineData("O`zbekiston")]
    [InlineData("Oʼzbekiston")]
    [InlineData("Ozbekiston")]
    public async Task ApostropheLetterOMatchesEveryFormAndScript(string query)
    {
        var ids = await Index.IdsAsync(query, SearchDocumentType.Decision);
        foreach (var id in new[] { "apostrophes-1", "apostrophes-2", "apostrophes-3", "apostrophes-4" })
            Assert.Contains(id, ids);
    }

    [Theory]
    [InlineData("maʼlumot")]
    [InlineData("ma'lumot")]
    [InlineData("ma’lumot")]
    [InlineData("маълумот")]
    public async Task TutuqSignMatchesEveryFormAndCyrillicHardSign(string query)
    {
        var ids = await Index.IdsAsync(query, SearchDocumentType.Decision);
        Assert.Equal(["apostrophes-1", "apostrophes-2", "apostrophes-3", "apostrophes-4"], ids.Order());
    }

    [Theory]
    [InlineData("G'aniyev")]
    [InlineData("Gʻaniyev")]
    [InlineData("G‘aniyev")]
    [InlineData("Ғаниев")]
    [InlineData("ganiev")]
    public async Task ApostropheLetterGMatchesEveryFormAndScript(string query)
    {
        Assert.Equal(["c-3"], await Index.IdsAsync(query, SearchDocumentType.Candidate));
    }

    [Theory]
    [InlineData("Farg'ona")]
    [InlineData("Фарғона")]
    [InlineData("Fargʻona")]
    public async Task PlaceNamesMatchAcrossScripts(string query)
    {
        Assert.Equal(["2-0001"], await Index.IdsAsync(query, SearchDocumentType.Station));
    }

    [Fact]
    public async Task RussianInflectionsMatch()
    {
        // выборы (nominative plural) finds the texts with выборов (genitive plural).
        var ids = await Index.IdsAsync("выборы", SearchDocumentType.Decision);
        Assert.Contains("msk-1", ids);
        Assert.Contains("msk-4", ids);
        Assert.Contains("msk-4", await Index.IdsAsync("итог выбора"));
    }

    [Fact]
    public async Task EnglishInflectionsMatch()
    {
        Assert.Equal(["en-1"], await Index.IdsAsync("observer accredit"));
        Assert.Equal(["en-1"], await Index.IdsAsync("organisations"));
    }

    [Theory]
    [InlineData("TOSHKENT")]
    [InlineData("tóshkent")]
    [InlineData("Тошкент")]
    public async Task CaseAndDiacriticsAreFolded(string query)
    {
        Assert.Contains("msk-2", await Index.IdsAsync(query, SearchDocumentType.Decision));
    }

    [Theory]
    [InlineData("Mirzi")]
    [InlineData("Mirziy")]
    [InlineData("Мирзиё")]
    [InlineData("mirziyo")]
    [InlineData("Mirzi*")]
    public async Task PrefixWhileTypingFindsTheName(string query)
    {
        Assert.Equal(["c-1"], await Index.IdsAsync(query, SearchDocumentType.Candidate));
    }

    [Fact]
    public async Task PrefixAppliesOnlyToTheLastWordBeingTyped()
    {
        Assert.Equal(["c-1"], await Index.IdsAsync("Akmal Mirzi"));
        Assert.Empty(await Index.IdsAsync("Mirzi Akmal")); // "Mirzi" is finished and is no word of the corpus
    }
}
