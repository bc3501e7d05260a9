using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Search.Lucene;
using Portal.Search.Tests.Behaviour;

namespace Portal.Search.Tests;

/// <summary>The embedded Lucene index under the behaviour suite: a temporary directory per index.</summary>
public sealed class LuceneBackend : SearchBackendFixture
{
    private readonly TempDirectory _directory = new("search-tests-");

    protected override string NewPlace() => Path.Combine(_directory.Path, Guid.NewGuid().ToString("N"));

    protected override ISearchIndex CreateIndex(string place) =>
        new LuceneSearchIndex(Options.Create(new SearchOptions { IndexPath = place }), NullLogger<LuceneSearchIndex>.Instance);

    protected override ValueTask RemovePlaceAsync(string place) => ValueTask.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }
}

public sealed class LuceneQueryTests(LuceneBackend backend) : QueryBehaviour<LuceneBackend>(backend);

public sealed class LuceneLanguageTests(LuceneBackend backend) : LanguageBehaviour<LuceneBackend>(backend);

public sealed class LuceneLifecycleTests(LuceneBackend backend) : LifecycleBehaviour<LuceneBackend>(backend);
