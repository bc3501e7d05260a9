using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Portal.Grains.Demo;
using Portal.Ingest.Decisions;
using Portal.Ingest.Search;
using Portal.Search.Documents;
using Portal.Search.Lucene;

namespace Portal.Search.Tests;

/// <summary>
/// Broad queries are evaluated term at a time instead of by Lucene's scorers; on the demo data (in two segments, with a
/// deleted document) that must give exactly Lucene's counts per type and page, with the same scores.
/// </summary>
public sealed class TermAtATimeSearchTests : IDisposable
{
    private readonly SearchAnalyzers _analyzers = new();
    private readonly RAMDirectory _directory = new();
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;
    private readonly string _regionId;

    public TermAtATimeSearchTests()
    {
        var election = DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = 600 });
        var documents = ElectionSearchDocuments.Map(election).ToList();
        documents.AddRange(DemoDecisionGenerator.Generate(election, new DemoDecisionOptions()));
        using (var writer = new IndexWriter(_directory, new IndexWriterConfig(SearchFields.Version, _analyzers.PerField)))
        {
            for (var i = 0; i < documents.Count; i++)
            {
                writer.AddDocument(DocumentMapper.ToLucene(documents[i]));
                if (i == documents.Count / 2) writer.Commit(); // a second segment
            }
            // A deleted document (the old copy of an updated one) must not match.
            var updated = documents.OfType<DecisionDocument>().First();
            writer.UpdateDocument(new Term(SearchFields.Key, DocumentMapper.KeyOf(updated.Type, updated.Id)), DocumentMapper.ToLucene(updated));
            writer.Commit();
        }
        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader);
        _regionId = election.Regions[0].Id;
    }

    public static TheoryData<string> Queries =>
    [
        "saylov", "saylov uchastkalarini tuzish", "\"saylov komissiyasi\"", "выборы", "избирательных участков", "E-Saylov",
        "saylov -tuzish", "(saylov OR выборы) AND komissiya", "Tosh", "Toshkent", "observers accreditation", "+komissiya -\"E-Saylov\"",
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public void GivesLucenesMatchesCountsAndPage(string text)
    {
        var query = new UserQueryParser(_analyzers).Parse(text)!;
        Compare(query, [], skip: 0, pageSize: 20);
        Compare(query, [], skip: 15, pageSize: 10);
        Compare(query, [new CachingWrapperFilter(new QueryWrapperFilter(new TermQuery(new Term(SearchFields.Region, _regionId))))], skip: 0, pageSize: 20);
        Compare(query, [FieldCacheRangeFilter.NewInt64Range(SearchFields.DateSort, 20240101, 20251231, true, true)], skip: 0, pageSize: 20);
    }

    private void Compare(Query query, List<Filter> filters, int skip, int pageSize)
    {
        var (luceneCounts, lucenePage) = Run(query, filters, skip + pageSize, termAtATime: false);
        var (counts, page) = Run(query, filters, skip + pageSize, termAtATime: true);
        Assert.Equal(luceneCounts, counts);
        Assert.Equal(lucenePage.Select(d => d.Doc), page.Select(d => d.Doc));
        foreach (var (expected, actual) in lucenePage.Zip(page))
            Assert.Equal(expected.Score, actual.Score, 1e-5f * Math.Max(1, Math.Abs(expected.Score)));
    }

    private (int[] Counts, ScoreDoc[] Page) Run(Query query, List<Filter> filters, int hits, bool termAtATime)
    {
        var sort = new Sort(SortField.FIELD_SCORE, new SortField(SearchFields.Key, SortFieldType.STRING));
        var page = TopFieldCollector.Create(sort, hits, fillFields: false, trackDocScores: true, trackMaxScore: false, docsScoredInOrder: false);
        var counter = new TypeCountCollector(page, [SearchDocumentType.Decision, SearchDocumentType.Station]);
        if (termAtATime)
            Assert.True(TermAtATimeSearch.TrySearch(_searcher, query, filters, counter, hits));
        else
        {
            var filtered = query;
            foreach (var filter in filters) filtered = new FilteredQuery(filtered, filter);
            _searcher.Search(filtered, counter);
        }
        return ([.. SearchDocumentTypes.All.Select(t => counter[t])], page.GetTopDocs().ScoreDocs);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
        _analyzers.Dispose();
    }
}
