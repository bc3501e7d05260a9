using Portal.Search.Documents;

namespace Portal.Search.Tests.Behaviour;

/// <summary>Opening, reopening and rebuilding, on every backend.</summary>
public abstract class LifecycleBehaviour<TBackend>(TBackend backend) : IClassFixture<TBackend> where TBackend : SearchBackendFixture
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReopeningWithTheSameDocumentsKeepsPublishedDecisionsWithoutARebuild()
    {
        var source = new ListDocumentSource(Corpus.Documents());
        var index = await backend.OpenIndexAsync(source);
        await index.IndexDecisionAsync(Corpus.Decision("msk-90", new DateOnly(2024, 10, 25), "Jizzax qarori", "Jizzax viloyati"), Cancel);

        var reopened = await backend.ReopenAsync(index, source);

        Assert.Equal(1, source.Reads);
        Assert.Equal(SearchIndexState.Ready, reopened.State);
        Assert.Equal(["msk-90"], await reopened.IdsAsync("Jizzax"));
        Assert.Equal(["c-1"], await reopened.IdsAsync("Mirziyoyev"));
    }

    [Fact]
    public async Task ReopeningWithChangedDocumentsRebuildsFromTheSource()
    {
        var source = new ListDocumentSource(Corpus.Documents());
        var index = await backend.OpenIndexAsync(source);

        source.Add(Corpus.Station("9-0001", 901, "Nukus, Beruniy ko'chasi, 1-uy"));
        source.Fingerprint = "v2";
        var reopened = await backend.ReopenAsync(index, source);

        Assert.Equal(2, source.Reads);
        Assert.Equal(["9-0001"], await reopened.IdsAsync("Nukus"));
    }

    [Fact]
    public async Task RebuildReportsProgressAndEndsWithExactlyTheSourceDocuments()
    {
        var source = new ListDocumentSource(Corpus.Documents());
        // Opened from a source that lacks c-1: the rebuild from the full source must bring it in.
        var index = await backend.OpenIndexAsync(new ListDocumentSource([.. Corpus.Documents().Where(d => d.Id != "c-1")]));
        Assert.Empty(await index.IdsAsync("Mirziyoyev"));

        var reports = new List<SearchRebuildProgress>();
        await index.RebuildAsync(source, new SynchronousProgress(reports), Cancel);

        Assert.Equal(SearchIndexState.Ready, index.State);
        var done = Assert.Single(reports, r => r.Completed);
        Assert.Equal(Corpus.Documents().Count, done.Indexed);
        Assert.Equal(["c-1"], await index.IdsAsync("Mirziyoyev"));
        var all = await index.SearchAsync(new SearchRequest { PageSize = 100 }, Cancel);
        Assert.Equal(Corpus.Documents().Count, all.Total);
    }

    private sealed class SynchronousProgress(List<SearchRebuildProgress> reports) : IProgress<SearchRebuildProgress>
    {
        public void Report(SearchRebuildProgress value) => reports.Add(value);
    }
}
