using Portal.Search.Documents;

namespace Portal.Search.Tests.Behaviour;

/// <summary>
/// A search backend for the behaviour suite: opens fresh indices on it and, once, the index over the small corpus the
/// read-only tests share. The same tests run on every backend (<see cref="LuceneBackend"/> here; the Elasticsearch
/// server run in tests/Search.ElasticsearchTests).
/// </summary>
public abstract class SearchBackendFixture : IAsyncLifetime
{
    private readonly Dictionary<ISearchIndex, string> _open = [];
    private readonly List<string> _places = [];

    /// <summary>The corpus of <see cref="Corpus.Documents"/> and the apostrophe and English decisions.</summary>
    public ISearchIndex Index { get; private set; } = null!;

    /// <summary>A new, empty place for an index on this backend (a directory, an index prefix).</summary>
    protected abstract string NewPlace();

    /// <summary>An index at <paramref name="place"/>, not opened yet.</summary>
    protected abstract ISearchIndex CreateIndex(string place);

    /// <summary>Removes what indices at <paramref name="place"/> left behind.</summary>
    protected abstract ValueTask RemovePlaceAsync(string place);

    /// <summary>Opens an index at a new place (closed and removed with the fixture).</summary>
    public Task<ISearchIndex> OpenIndexAsync(ISearchDocumentSource source)
    {
        var place = NewPlace();
        _places.Add(place);
        return OpenAtAsync(place, source);
    }

    /// <summary>Closes <paramref name="previous"/> and opens its place again, as a restarted node does.</summary>
    public async Task<ISearchIndex> ReopenAsync(ISearchIndex previous, ISearchDocumentSource source)
    {
        var place = _open[previous];
        Close(previous);
        return await OpenAtAsync(place, source);
    }

    private async Task<ISearchIndex> OpenAtAsync(string place, ISearchDocumentSource source)
    {
        var index = CreateIndex(place);
        _open[index] = place;
        await index.OpenAsync(source, cancellationToken: TestContext.Current.CancellationToken);
        return index;
    }

    private void Close(ISearchIndex index)
    {
        _open.Remove(index);
        (index as IDisposable)?.Dispose();
    }

    public static List<SearchDocument> CorpusDocuments()
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
        return documents;
    }

    public virtual async ValueTask InitializeAsync() => Index = await OpenIndexAsync(new ListDocumentSource(CorpusDocuments()));

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var index in _open.Keys.ToList()) Close(index);
        foreach (var place in _places) await RemovePlaceAsync(place);
        _places.Clear();
    }
}
