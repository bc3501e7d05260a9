using Lucene.Net.Store;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Search.Documents;
using Portal.Search.Extensions;

namespace Portal.Search.Tests;

/// <summary>What only the embedded index has: a folder on disk, its write.lock, damage; the backend-neutral cases are in Behaviour/.</summary>
public sealed class RebuildTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task IndexIsRebuiltFromTheSourceWhenItsFolderWasDeleted()
    {
        using var directory = new TempDirectory("search-tests-");
        var source = new ListDocumentSource(Corpus.Documents());
        using (var index = await TestIndex.OpenAsync(directory.IndexPath, source))
            Assert.Equal(["c-1"], await index.IdsAsync("Mirziyoyev"));
        Assert.Equal(1, source.Reads);

        System.IO.Directory.Delete(directory.IndexPath, recursive: true);

        using var reopened = await TestIndex.OpenAsync(directory.IndexPath, source);
        Assert.Equal(2, source.Reads);
        Assert.Equal(SearchIndexState.Ready, reopened.State);
        Assert.Equal(["c-1"], await reopened.IdsAsync("Mirziyoyev"));
        Assert.Equal(Corpus.Documents().Count, reopened.DocumentCount);
    }

    [Fact]
    public async Task ReopeningAnOpenIndexReleasesItsWriterAndKeepsItsDocuments()
    {
        // The repair path: the hosted service calls OpenAsync on an index that is already open.
        using var directory = new TempDirectory("search-tests-");
        var source = new ListDocumentSource(Corpus.Documents());
        using var index = await TestIndex.OpenAsync(directory.IndexPath, source);
        await index.IndexDecisionAsync(Corpus.Decision("msk-92", new DateOnly(2024, 10, 25), "Termiz qarori", "Termiz shahri"), Cancel);

        await index.OpenAsync(source, cancellationToken: Cancel);

        Assert.Equal(1, source.Reads);
        Assert.False(index.NeedsRepair);
        Assert.Equal(["msk-92"], await index.IdsAsync("Termiz"));
    }

    [Fact]
    public async Task CorruptIndexIsRebuilt()
    {
        using var directory = new TempDirectory("search-tests-");
        var source = new ListDocumentSource(Corpus.Documents());
        using (await TestIndex.OpenAsync(directory.IndexPath, source)) { }

        foreach (var file in System.IO.Directory.GetFiles(directory.IndexPath).Where(f => !f.EndsWith("write.lock", StringComparison.Ordinal)))
            await File.WriteAllBytesAsync(file, [0xDE, 0xAD, 0xBE, 0xEF, 1, 2, 3], Cancel);

        using var reopened = await TestIndex.OpenAsync(directory.IndexPath, source);
        Assert.Equal(2, source.Reads);
        Assert.Equal(["c-1"], await reopened.IdsAsync("Мирзиёев"));
    }

    [Fact]
    public async Task IndexHeldByAnotherWriterIsNeitherOpenedNorDeleted()
    {
        using var directory = new TempDirectory("search-tests-");
        var source = new ListDocumentSource(Corpus.Documents());
        using var owner = await TestIndex.OpenAsync(directory.IndexPath, source);

        using var intruder = TestIndex.Create(directory.IndexPath);
        await Assert.ThrowsAsync<LockObtainFailedException>(() => intruder.OpenAsync(source, cancellationToken: Cancel));

        Assert.Equal(1, source.Reads);
        Assert.Equal(["c-1"], await owner.IdsAsync("Mirziyoyev"));
    }

    [Fact]
    public async Task RunningServiceRebuildsTheIndexWhenItsFolderIsDeleted()
    {
        using var directory = new TempDirectory("search-tests-");
        var source = new ListDocumentSource(Corpus.Documents());
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Search:IndexPath"] = directory.IndexPath,
            ["Search:HealthCheckInterval"] = "00:00:00.200",
        });
        builder.Services.AddSingleton<ISearchDocumentSource>(source);
        builder.AddSearch();
        using var host = builder.Build();
        await host.StartAsync(Cancel);
        try
        {
            var index = host.Services.GetRequiredService<ISearchIndex>();
            await host.Services.GetRequiredService<SearchIndexService>().Opened.WaitAsync(TimeSpan.FromSeconds(60), Cancel);
            Assert.Equal(["c-1"], await index.IdsAsync("Mirziyoyev"));

            System.IO.Directory.Delete(directory.IndexPath, recursive: true);

            await Wait.UntilAsync(async () =>
            {
                try
                {
                    return source.Reads == 2 && index.State == SearchIndexState.Ready && !index.NeedsRepair &&
                        (await index.IdsAsync("Mirziyoyev")).SequenceEqual(["c-1"]);
                }
                catch (SearchUnavailableException)
                {
                    return false; // still rebuilding
                }
            }, "the index to be rebuilt", TimeSpan.FromSeconds(30));
            Assert.True(System.IO.Directory.EnumerateFiles(directory.IndexPath, "segments_*").Any());

            // And it takes new decisions again.
            await index.IndexDecisionAsync(Corpus.Decision("msk-91", new DateOnly(2024, 10, 25), "Xiva qarori", "Xiva shahri"), Cancel);
            Assert.Equal(["msk-91"], await index.IdsAsync("Xiva", SearchDocumentType.Decision));
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
