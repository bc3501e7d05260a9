using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.Ingest.Decisions;
using Portal.Ingest.Search;
using Portal.Search.Documents;
using Portal.Search.Lucene;

namespace Portal.Search.Tests;

/// <summary>The demo election and its generated decisions, indexed through the Ingest source the Portal uses.</summary>
public sealed class DemoFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("search-tests-");

    internal ElectionDefinition Election { get; } = DemoElectionGenerator.Generate(new DemoElectionOptions());
    internal IReadOnlyList<DecisionDocument> Decisions { get; private set; } = [];
    internal LuceneSearchIndex Index { get; private set; } = null!;
    internal DecisionPublisher Publisher { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Decisions = DemoDecisionGenerator.Generate(Election, new DemoDecisionOptions());
        var archive = new InMemoryDecisionArchive();
        archive.AddRange(Decisions);
        var source = new ElectionSearchDocumentSource(new ElectionCatalog(Election, []), archive);
        Index = await TestIndex.OpenAsync(_directory.IndexPath, source);
        Publisher = new DecisionPublisher(archive, Index, Microsoft.Extensions.Logging.Abstractions.NullLogger<DecisionPublisher>.Instance);
    }

    public ValueTask DisposeAsync()
    {
        Index.Dispose();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed partial class DemoDataTests(DemoFixture demo) : IClassFixture<DemoFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"^(MSK-\d{4}-son|OSK-\d{1,3}/\d+-son|HSK-\d{2}/\d+-son)$")]
    private static partial Regex NumberPattern();

    [Fact]
    public void DemoDecisionsAreDeterministicRealisticAndMultilingual()
    {
        var again = DemoDecisionGenerator.Generate(DemoElectionGenerator.Generate(new DemoElectionOptions()), new DemoDecisionOptions());
        Assert.Equal(JsonSerializer.Serialize(demo.Decisions), JsonSerializer.Serialize(again));

        Assert.InRange(demo.Decisions.Count, 200, 800);
        Assert.Equal(demo.Decisions.Count, demo.Decisions.Select(d => d.Id).Distinct().Count());
        Assert.All(demo.Decisions, d => Assert.Matches(NumberPattern(), d.Number));
        Assert.All(demo.Decisions, d => Assert.Superset(new HashSet<string> { "uz", "uz-Cyrl", "ru" }, d.Body.Keys.ToHashSet()));
        Assert.All(demo.Decisions.Where(d => d.CommissionId == DemoDecisionGenerator.CecId), d => Assert.Contains("en", d.Body.Keys));
        // Adopted in order: CEC numbers grow with the date.
        var cec = demo.Decisions.Where(d => d.CommissionId == DemoDecisionGenerator.CecId).ToList();
        Assert.Equal(cec.OrderBy(d => d.Date).Select(d => d.Number), cec.Select(d => d.Number));

        string[] kinds = ["saylov okruglarini tuzish", "saylov uchastkalarini tuzish", "nomzodlarni roʻyxatga olish", "kuzatuvchilarni",
            "akkreditatsiya", "103-moddasiga", "97-moddalariga", "E-Saylov"];
        foreach (var kind in kinds)
            Assert.Contains(demo.Decisions, d => d.Title["uz"].Contains(kind, StringComparison.Ordinal) || d.Body["uz"].Contains(kind, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CandidateOfTheDemoElectionIsFoundInEitherScriptWithItsRegistrationDecision()
    {
        var constituency = demo.Election.Contests[0].Constituencies[7];
        var candidate = constituency.Candidates[0];
        var cyrillic = candidate.NameForms!["uz-Cyrl"];

        foreach (var query in new[] { candidate.Name, cyrillic, candidate.Name.ToLowerInvariant() })
        {
            var results = await demo.Index.SearchAsync(new SearchRequest { Query = $"\"{query}\"", PageSize = 50 }, Cancel);
            Assert.Contains(results.Hits, h => h.Type == SearchDocumentType.Candidate && h.Id == candidate.Id);
            var registration = Assert.Single(results.Hits, h => h.Type == SearchDocumentType.Decision && h.Title.Contains("nomzod", StringComparison.OrdinalIgnoreCase)
                || h.Type == SearchDocumentType.Decision && h.Title.Contains("кандидат", StringComparison.OrdinalIgnoreCase)
                || h.Type == SearchDocumentType.Decision && h.Title.Contains("номзод", StringComparison.OrdinalIgnoreCase));
            Assert.Contains("<mark>", registration.Snippet);
            Assert.Equal(constituency.RegionId, registration.RegionId);
        }
    }

    [Theory]
    [InlineData("'")]
    [InlineData("`")]
    [InlineData("\u2018")]
    [InlineData("\u2019")]
    [InlineData("\u02BB")]
    public async Task ADemoNameWithAnApostropheLetterIsFoundHoweverTheApostropheIsTyped(string apostrophe)
    {
        // The demo writes oʻ and gʻ with U+02BB only; people type whatever their keyboard has.
        var candidate = demo.Election.Contests.SelectMany(c => c.Constituencies).SelectMany(k => k.Candidates)
            .First(c => c.Name.Contains("oʻ", StringComparison.Ordinal) || c.Name.Contains("gʻ", StringComparison.Ordinal));
        var typed = candidate.Name.Replace("ʻ", apostrophe, StringComparison.Ordinal);
        var results = await demo.Index.SearchAsync(new SearchRequest { Query = $"\"{typed}\"", Types = [SearchDocumentType.Candidate], PageSize = 50 }, Cancel);
        Assert.Contains(results.Hits, h => h.Id == candidate.Id);
    }

    [Fact]
    public async Task StationOfTheDemoElectionIsFoundByNumberAndAddress()
    {
        var station = demo.Election.Stations[42];
        var byNumber = await demo.Index.SearchAsync(new SearchRequest { Query = $"{station.Number}-son saylov uchastkasi", Types = [SearchDocumentType.Station] }, Cancel);
        Assert.Equal(station.Id, byNumber.Hits[0].Id);
        Assert.Equal($"/stations/{station.Id}", byNumber.Hits[0].Url);

        var byAddress = await demo.Index.SearchAsync(new SearchRequest { Query = $"\"{station.AddressForms!["uz-Cyrl"]}\"", Types = [SearchDocumentType.Station] }, Cancel);
        Assert.Contains(byAddress.Hits, h => h.Id == station.Id);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("uchastka {0}")]
    [InlineData("{0}-uchastka")]
    [InlineData("участок {0}")]
    [InlineData("Участок №{0}")]
    [InlineData("{0}-сон сайлов участкаси")]
    [InlineData("polling station No. {0}")]
    [InlineData("0{0}")]
    public async Task StationIsFoundFirstByItsNumberPhrasedAsPeopleSayIt(string phrasing)
    {
        var station = demo.Election.Stations.First(s => s.Number == 683);
        // No type filter: the home page's box searches everything, and the station must come first.
        var results = await demo.Index.SearchAsync(new SearchRequest { Query = string.Format(System.Globalization.CultureInfo.InvariantCulture, phrasing, station.Number) }, Cancel);
        Assert.NotEmpty(results.Hits);
        Assert.Equal((SearchDocumentType.Station, station.Id), (results.Hits[0].Type, results.Hits[0].Id));
    }

    [Fact]
    public async Task NumberWithALocalityStaysAFullTextQuery()
    {
        var station = demo.Election.Stations.First(s => s.Number == 683);
        var locality = station.Address.Split(',')[0];
        var results = await demo.Index.SearchAsync(new SearchRequest { Query = $"{locality} {station.Number}", PageSize = 50 }, Cancel);
        Assert.Equal(station.Id, results.Hits[0].Id);
        // Both words must match: every hit is of that locality, not every document holding 683.
        Assert.All(results.Hits, h => Assert.Contains("<mark>", h.Snippet));
    }

    [Theory]
    [InlineData("E-Saylov akkreditatsiya", "uz")]
    [InlineData("аккредитация наблюдателей", "ru")]
    [InlineData("Article 103 forecasts", "en")]
    [InlineData("сайлов якунлари", "uz-Cyrl")]
    public async Task DecisionsAreFoundInEachLanguage(string query, string language)
    {
        var results = await demo.Index.SearchAsync(new SearchRequest { Query = query, Types = [SearchDocumentType.Decision] }, Cancel);
        Assert.NotEmpty(results.Hits);
        Assert.Equal(language, results.Hits[0].Language);
        Assert.Contains("<mark>", results.Hits[0].Title + results.Hits[0].Snippet);
    }

    [Fact]
    public async Task PublisherStoresAndIndexesADecision()
    {
        var decision = new DecisionDocument
        {
            Id = "msk-9001", Number = "MSK-9001-son", Date = new DateOnly(2024, 10, 30), CommissionId = DemoDecisionGenerator.CecId,
            Title = new Dictionary<string, string> { ["uz"] = "Takroriy ovoz berish toʻgʻrisida", ["ru"] = "О повторном голосовании" },
            Body = new Dictionary<string, string> { ["uz"] = "Qarshi saylov okrugida takroriy ovoz berish oʻtkazilsin.", ["ru"] = "Провести повторное голосование." },
        };
        await demo.Publisher.PublishAsync(decision, Cancel);
        Assert.Equal(["msk-9001"], await demo.Index.IdsAsync("Qarshi takroriy", SearchDocumentType.Decision));
        Assert.Contains("msk-9001", await demo.Index.IdsAsync("повторное голосование", SearchDocumentType.Decision));
    }
}
