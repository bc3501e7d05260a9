using Portal.Search.Documents;

namespace Portal.Search.Tests.Behaviour;

/// <summary>Transliteration, apostrophes, Russian and English morphology, prefixes while typing, on every backend.</summary>
public abstract class LanguageBehaviour<TBackend>(TBackend backend) : IClassFixture<TBackend> where TBackend : SearchBackendFixture
{
    private ISearchIndex Index => backend.Index;

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
