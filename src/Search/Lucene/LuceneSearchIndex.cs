using System.Collections.Concurrent;
using System.Diagnostics;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Search.Documents;
using Portal.Search.Text;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Portal.Search.Lucene;

/// <summary>
/// The embedded index: Lucene.NET on disk, near-real-time reads through a SearcherManager refreshed by a
/// ControlledRealTimeReopenThread. One writer per directory (write.lock): one portal process owns the index.
/// </summary>
public sealed partial class LuceneSearchIndex : ISearchIndex, IDisposable
{
    /// <summary>Bumped whenever analysis or fields change: an index of another schema is rebuilt at open.</summary>
    internal const string SchemaVersion = "3";
    private const string CommitSchema = "schema";
    private const string CommitState = "state";
    private const string CommitFingerprint = "fingerprint";
    private const string StateComplete = "complete";
    private const string StateBuilding = "building";
    private const int SnippetLength = HighlightMarkup.SnippetLength;
    private const int RebuildBatch = 2_000;
    private const int MaxCachedRegionFilters = 256;
    private static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(30);

    private readonly SearchOptions _options;
    private readonly ILogger<LuceneSearchIndex> _logger;
    private readonly SearchAnalyzers _analyzers = new();
    private readonly UserQueryParser _parser;
    private readonly ReaderWriterLockSlim _engineLock = new(LockRecursionPolicy.NoRecursion);
    private readonly SemaphoreSlim _maintenance = new(1, 1);
    private readonly ConcurrentDictionary<string, Filter> _regionFilters = new(StringComparer.Ordinal);
    private Engine? _engine;
    private volatile SearchIndexState _state = SearchIndexState.Closed;
    private volatile bool _faulted;
    private bool _disposed;

    public LuceneSearchIndex(IOptions<SearchOptions> options, ILogger<LuceneSearchIndex> logger)
    {
        _options = options.Value;
        _logger = logger;
        _parser = new UserQueryParser(_analyzers);
        IndexPath = Path.GetFullPath(_options.IndexPath);
    }

    public string IndexPath { get; }

    public SearchIndexState State => _state;

    public bool NeedsRepair => !_disposed && (_faulted || (_state != SearchIndexState.Closed && !IndexPresent(IndexPath)));

    public string Backend => SearchOptions.LuceneBackend;

    public bool IsShared => false;

    public Task<SearchBackendStatus> CheckAsync(CancellationToken cancellationToken = default) => Task.FromResult(_state switch
    {
        // Rebuilding is healthy: searches answer 503 meanwhile, as the embedded index always did while it is built.
        SearchIndexState.Ready => new SearchBackendStatus(!_faulted, _faulted ? "lucene index damaged; being repaired" : $"lucene index ready, {DocumentCount} documents"),
        SearchIndexState.Rebuilding => new SearchBackendStatus(true, "lucene index rebuilding"),
        _ => new SearchBackendStatus(!_faulted, "lucene index not open yet"),
    });

    /// <summary>Documents visible to searches now.</summary>
    public int DocumentCount => WithSearcher(searcher => searcher.IndexReader.NumDocs);

    public async Task OpenAsync(ISearchDocumentSource? source, IProgress<SearchRebuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await _maintenance.WaitAsync(cancellationToken);
        try
        {
            var fingerprint = source is null ? null : await source.GetFingerprintAsync(cancellationToken);
            // A repair re-opens: the current writer must let go of write.lock first.
            CloseEngine();
            string? reason = null;
            Engine? opened = null;
            if (!IndexPresent(IndexPath)) reason = "missing";
            else
            {
                try
                {
                    opened = new Engine(IndexPath, _analyzers, _options, create: false);
                    var data = opened.CommitData;
                    if (data.GetValueOrDefault(CommitSchema) != SchemaVersion) reason = "of another schema";
                    else if (data.GetValueOrDefault(CommitState) != StateComplete) reason = "incomplete (a rebuild did not finish)";
                    else if (fingerprint is not null && data.GetValueOrDefault(CommitFingerprint) != fingerprint) reason = "built from other documents";
                }
                catch (Exception e) when (IsDamage(e))
                {
                    reason = $"corrupt ({e.GetType().Name}: {e.Message})";
                    opened?.Dispose(commit: false);
                    opened = null;
                }
            }

            if (reason is null && opened is not null)
            {
                SwapEngine(() => opened);
                _faulted = false;
                _state = SearchIndexState.Ready;
                LogOpened(IndexPath, DocumentCount);
                return;
            }
            opened?.Dispose(commit: false);
            LogRebuilding(IndexPath, reason ?? "unknown");
            await RebuildCoreAsync(source, fingerprint, progress, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _faulted = true; // the hosted service tries again
            throw;
        }
        finally
        {
            _maintenance.Release();
        }
    }

    public async Task RebuildAsync(ISearchDocumentSource source, IProgress<SearchRebuildProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await _maintenance.WaitAsync(cancellationToken);
        try
        {
            var fingerprint = await source.GetFingerprintAsync(cancellationToken);
            await RebuildCoreAsync(source, fingerprint, progress, cancellationToken);
        }
        finally
        {
            _maintenance.Release();
        }
    }

    private async Task RebuildCoreAsync(ISearchDocumentSource? source, string? fingerprint, IProgress<SearchRebuildProgress>? progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        _state = SearchIndexState.Rebuilding;
        SwapEngine(() =>
        {
            // A fresh directory: whatever was there (half an index, garbage) is not worth keeping.
            if (System.IO.Directory.Exists(IndexPath)) System.IO.Directory.Delete(IndexPath, recursive: true);
            return new Engine(IndexPath, _analyzers, _options, create: true,
                new Dictionary<string, string> { [CommitSchema] = SchemaVersion, [CommitState] = StateBuilding });
        });
        _faulted = false;
        long indexed = 0;
        try
        {
            if (source is not null)
            {
                var batch = new List<SearchDocument>(RebuildBatch);
                var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount), CancellationToken = cancellationToken };
                await foreach (var document in source.ReadAllAsync(cancellationToken))
                {
                    batch.Add(document);
                    if (batch.Count < RebuildBatch) continue;
                    indexed += IndexBatch(batch, parallel);
                    progress?.Report(new SearchRebuildProgress(indexed, stopwatch.Elapsed, Completed: false));
                }
                indexed += IndexBatch(batch, parallel);
            }
            else LogNoSource(IndexPath);

            await Task.Run(() => WithEngine(engine =>
            {
                // A bulk rebuild leaves tens of segments; every query pays per segment (term lookups, prefix rewrites,
                // scorers), so merge them into one before the index goes live. Later publications add small segments.
                engine.Writer.ForceMerge(1);
                engine.Commit(new Dictionary<string, string>
                {
                    [CommitSchema] = SchemaVersion, [CommitState] = StateComplete, [CommitFingerprint] = fingerprint ?? "",
                });
                engine.Manager.MaybeRefreshBlocking();
                return 0;
            }), cancellationToken);
            _state = SearchIndexState.Ready;
            progress?.Report(new SearchRebuildProgress(indexed, stopwatch.Elapsed, Completed: true));
            LogRebuilt(IndexPath, indexed, stopwatch.Elapsed.TotalSeconds);
        }
        catch
        {
            _faulted = true; // the hosted service tries again
            throw;
        }
    }

    private int IndexBatch(List<SearchDocument> batch, ParallelOptions parallel)
    {
        var count = batch.Count;
        if (count == 0) return 0;
        var documents = batch.ToArray();
        batch.Clear();
        WithEngine(engine =>
        {
            Parallel.ForEach(documents, parallel, document =>
                engine.Tracking.UpdateDocument(KeyTerm(document), DocumentMapper.ToLucene(document)));
            return 0;
        });
        return count;
    }

    public Task IndexAsync(IEnumerable<SearchDocument> documents, CancellationToken cancellationToken = default) =>
        WriteVisibleAsync(engine =>
        {
            var generation = engine.Tracking.Generation;
            foreach (var document in documents)
                generation = engine.Tracking.UpdateDocument(KeyTerm(document), DocumentMapper.ToLucene(document));
            return generation;
        }, cancellationToken);

    public Task IndexDecisionAsync(DecisionDocument decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var document = DocumentMapper.ToLucene(decision); // fails on a bad decision before anything is written
        var key = KeyTerm(decision);
        return WriteVisibleAsync(engine => engine.Tracking.UpdateDocument(key, document), cancellationToken);
    }

    /// <summary>Writes, then waits until a searcher sees the write and the commit made it durable.</summary>
    private async Task WriteVisibleAsync(Func<Engine, long> write, CancellationToken cancellationToken)
    {
        // The engine may be swapped by a repair between write and wait; the rebuild then reads the document from the
        // source (publishers store before they index), but we still write once more so the caller's promise holds.
        for (var attempt = 1; ; attempt++)
        {
            var (engine, generation) = WithEngineAndWrite(write);
            try
            {
                await Task.Run(() =>
                {
                    if (!engine.Reopen.WaitForGeneration(generation, (int)VisibilityTimeout.TotalMilliseconds))
                        throw new TimeoutException("The index did not refresh in time.");
                    engine.Commit(null);
                }, cancellationToken);
                return;
            }
            catch (Exception e) when (attempt < 3 && !ReferenceEquals(engine, Volatile.Read(ref _engine)) && e is ObjectDisposedException)
            {
            }
        }
    }

    private (Engine Engine, long Generation) WithEngineAndWrite(Func<Engine, long> write)
    {
        _engineLock.EnterReadLock();
        try
        {
            var engine = _engine ?? throw new SearchUnavailableException("The search index is not open.");
            return (engine, write(engine));
        }
        finally
        {
            _engineLock.ExitReadLock();
        }
    }

    public Task<SearchResults> SearchAsync(SearchRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = request.Validate();
        if (errors.Count > 0) throw new SearchRequestException(errors);
        var userQuery = _parser.Parse(request.Query);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(WithSearcher(searcher => Search(searcher, request, userQuery)));
    }

    private SearchResults Search(IndexSearcher searcher, SearchRequest request, Query? userQuery)
    {
        var filters = new List<Filter>(2);
        if (!string.IsNullOrWhiteSpace(request.RegionId)) filters.Add(RegionFilter(request.RegionId.Trim()));
        if (request.From is not null || request.To is not null)
        {
            // Checked per document the query matches (query first) against the date doc values: no terms to enumerate,
            // no bit set to build, no check per posting of every clause;
            // documents without a date read 0 and fall below the lowest bound, as they had no term in the range.
            filters.Add(FieldCacheRangeFilter.NewInt64Range(SearchFields.DateSort,
                Math.Max(1, DocumentMapper.DateNumber(request.From) ?? 1), DocumentMapper.DateNumber(request.To), true, true));
        }
        Query filtered = userQuery ?? new MatchAllDocsQuery();
        foreach (var filter in filters)
            filtered = filter is CachingWrapperFilter
                ? new FilteredQuery(filtered, filter)
                : new FilteredQuery(filtered, filter, FilteredQuery.QUERY_FIRST_FILTER_STRATEGY);
        var types = request.Types.Count > 0 ? request.Types.Distinct().ToList() : [.. SearchDocumentTypes.All];

        // Ties are broken by the unique key, so pages are stable for one index state.
        var sort = userQuery is not null
            ? new Sort(SortField.FIELD_SCORE, new SortField(SearchFields.Key, SortFieldType.STRING))
            : new Sort(new SortField(SearchFields.DateSort, SortFieldType.INT64, true), new SortField(SearchFields.Key, SortFieldType.STRING));
        var skip = (request.Page - 1) * request.PageSize;
        // One pass over the matches fills the page and the per-type counts (TypeCountCollector). Out of order is
        // allowed: a pure OR of clauses (a single typed word is "word OR word*") then goes through the faster
        // bucketed BooleanScorer. The page is the same: the unique key breaks every tie.
        var page = TopFieldCollector.Create(sort, skip + request.PageSize, fillFields: false,
            trackDocScores: userQuery is not null, trackMaxScore: false, docsScoredInOrder: false);
        var counter = new TypeCountCollector(page, types);
        // Broad boolean queries are evaluated term at a time (same matches and scores, far fewer calls per match).
        if (userQuery is null || !TermAtATimeSearch.TrySearch(searcher, userQuery, filters, counter, skip + request.PageSize))
            searcher.Search(filtered, counter);
        var top = page.GetTopDocs();

        var terms = QueryTerms.From(userQuery);
        var cultures = SearchCultures.Order(request);
        // A decision stores its body in every language; only the likeliest two are read for a hit (the others are
        // read only if highlighting falls back to them).
        var likelyBodies = new HashSet<string>(cultures.Take(2).Select(c => SearchFields.StoredBody + c), StringComparer.Ordinal);
        var hits = top.ScoreDocs.Skip(skip)
            .Select(scoreDoc => ToHit(StoredHit.Load(searcher, scoreDoc.Doc, likelyBodies), float.IsNaN(scoreDoc.Score) ? 0 : scoreDoc.Score, terms, cultures))
            .ToList();
        return new SearchResults
        {
            Query = request.Query ?? "",
            Page = request.Page,
            PageSize = request.PageSize,
            Total = types.Sum(type => counter[type]),
            Counts = SearchDocumentTypes.All.ToDictionary(type => type.ToWire(), type => counter[type]),
            Hits = hits,
            IndexState = _state,
        };
    }

    /// <summary>
    /// The documents of a region, cached per segment (there are a handful of regions; the id comes from the request,
    /// so at most a bounded number of them is kept).
    /// </summary>
    private Filter RegionFilter(string regionId)
    {
        if (_regionFilters.TryGetValue(regionId, out var cached)) return cached;
        var filter = new CachingWrapperFilter(new QueryWrapperFilter(new TermQuery(new Term(SearchFields.Region, regionId))));
        if (_regionFilters.Count < MaxCachedRegionFilters) _regionFilters.TryAdd(regionId, filter);
        return filter;
    }

    private SearchHit ToHit(StoredHit hit, float score, QueryTerms terms, string[] cultures)
    {
        var document = hit.Document;
        SearchDocumentTypes.TryParse(document.Get(SearchFields.Type), out var type);

        // Highlighting is most of a query's cost: the likeliest two cultures (the asked language, else the query's
        // script) are analysed side by side, each body only up to a snippet's length past the earliest match in
        // either; the others only when those two have no match at all.
        (string Culture, string Title, string Body, List<(int, int)> TitleSpans, List<(int, int)> BodySpans, int Matches)? best = null;
        var available = cultures.Select(c => (Culture: c, Title: document.Get(SearchFields.StoredTitle + c))).Where(c => c.Title is not null).ToList();
        var bestCutShort = false;
        for (var from = 0; from < available.Count && best is not { Matches: > 0 }; from += from == 0 ? 2 : 1)
        {
            var group = available.Skip(from).Take(from == 0 ? 2 : 1)
                .Select(c => (c.Culture, Title: c.Title!, Body: hit.Body(c.Culture), Families: SearchFields.FamiliesOf(c.Culture)))
                .ToList();
            var bodies = Highlighter.MatchesSideBySide(_analyzers, terms, [.. group.Select(g => (g.Body, g.Families))], SnippetLength, out var first);
            for (var i = 0; i < group.Count; i++)
            {
                var titleSpans = Highlighter.Matches(_analyzers, terms, group[i].Title, group[i].Families);
                var matches = titleSpans.Count * 2 + bodies[i].Count;
                if (best is null || matches > best.Value.Matches)
                {
                    best = (group[i].Culture, group[i].Title, group[i].Body, titleSpans, bodies[i], matches);
                    bestCutShort = first >= 0 && first != i; // analysed only as far as another text's snippet
                }
            }
        }
        if (best is { } chosen && bestCutShort)
        {
            // Its snippet starts at its own first match: analyse it for that window alone.
            best = chosen with { BodySpans = Highlighter.Matches(_analyzers, terms, chosen.Body, SearchFields.FamiliesOf(chosen.Culture), window: SnippetLength) };
        }
        best ??= ("uz", document.Get(SearchFields.Id) ?? "", "", [], [], 0);

        var details = new Dictionary<string, string>();
        foreach (var field in document.Fields)
            if (field.Name.StartsWith(SearchFields.StoredDetail, StringComparison.Ordinal) && field.GetStringValue() is { } value)
                details[field.Name[SearchFields.StoredDetail.Length..]] = value;

        return new SearchHit
        {
            Type = type,
            Id = document.Get(SearchFields.Id) ?? "",
            Url = document.Get(SearchFields.Url),
            Language = best.Value.Culture,
            Title = HighlightMarkup.Mark(best.Value.Title, best.Value.TitleSpans),
            Snippet = HighlightMarkup.Snippet(best.Value.Body, best.Value.BodySpans, SnippetLength),
            RegionId = document.Get(SearchFields.Region),
            Date = DocumentMapper.DateFromNumber(document.GetField(SearchFields.Date)?.GetInt32Value()),
            Score = score,
            Details = details,
        };
    }

    /// <summary>A hit's stored fields with the bodies of the likeliest languages only; the others are read when asked for.</summary>
    private sealed class StoredHit(IndexSearcher searcher, int doc, Document document, IReadOnlySet<string> bodies)
    {
        private Document? _otherBodies;

        public Document Document { get; } = document;

        public static StoredHit Load(IndexSearcher searcher, int doc, IReadOnlySet<string> bodies)
        {
            var visitor = new Visitor(bodies, onlyOtherBodies: false);
            searcher.Doc(doc, visitor);
            return new StoredHit(searcher, doc, visitor.Document, bodies);
        }

        public string Body(string culture)
        {
            var field = SearchFields.StoredBody + culture;
            if (bodies.Contains(field)) return Document.Get(field) ?? "";
            if (_otherBodies is null)
            {
                var visitor = new Visitor(bodies, onlyOtherBodies: true);
                searcher.Doc(doc, visitor);
                _otherBodies = visitor.Document;
            }
            return _otherBodies.Get(field) ?? "";
        }

        /// <summary>Every stored field but the bodies not in <paramref name="bodies"/>; or only those other bodies.</summary>
        private sealed class Visitor(IReadOnlySet<string> bodies, bool onlyOtherBodies) : DocumentStoredFieldVisitor
        {
            public override Status NeedsField(FieldInfo fieldInfo)
            {
                var isBody = fieldInfo.Name.StartsWith(SearchFields.StoredBody, StringComparison.Ordinal);
                var wanted = onlyOtherBodies ? isBody && !bodies.Contains(fieldInfo.Name) : !isBody || bodies.Contains(fieldInfo.Name);
                return wanted ? Status.YES : Status.NO;
            }
        }
    }

    private T WithSearcher<T>(Func<IndexSearcher, T> use) => WithEngine(engine =>
    {
        var searcher = engine.Manager.Acquire();
        try
        {
            return use(searcher);
        }
        finally
        {
            engine.Manager.Release(searcher);
        }
    });

    private T WithEngine<T>(Func<Engine, T> use)
    {
        _engineLock.EnterReadLock();
        try
        {
            var engine = _engine ?? throw new SearchUnavailableException("The search index is not open.");
            try
            {
                return use(engine);
            }
            catch (IOException e)
            {
                // Corrupt or vanished files (CorruptIndexException, EndOfStreamException, FileNotFoundException are
                // IOExceptions); anything else is a fault of ours and must not trigger rebuilds.
                _faulted = true;
                LogDamaged(e, IndexPath);
                throw new SearchUnavailableException("The search index is damaged and is being rebuilt.", e);
            }
        }
        finally
        {
            _engineLock.ExitReadLock();
        }
    }

    private void CloseEngine()
    {
        _engineLock.EnterWriteLock();
        try
        {
            var old = _engine;
            _engine = null;
            old?.Dispose(commit: old.Healthy && !_faulted && IndexPresent(old.Path));
            _state = SearchIndexState.Closed;
        }
        finally
        {
            _engineLock.ExitWriteLock();
        }
    }

    private void SwapEngine(Func<Engine> create)
    {
        _engineLock.EnterWriteLock();
        try
        {
            var old = _engine;
            _engine = null;
            old?.Dispose(commit: old.Healthy && IndexPresent(old.Path));
            _engine = create();
        }
        finally
        {
            _engineLock.ExitWriteLock();
        }
    }

    private static Term KeyTerm(SearchDocument document) => new(SearchFields.Key, DocumentMapper.KeyOf(document.Type, document.Id));

    private static bool IndexPresent(string path) =>
        System.IO.Directory.Exists(path) && System.IO.Directory.EnumerateFiles(path, "segments_*").Any();

    /// <summary>Errors that mean the files are damaged or gone (not that another process owns the index, not a cancel).</summary>
    private static bool IsDamage(Exception e) =>
        e is not (LockObtainFailedException or OperationCanceledException or OutOfMemoryException or SearchRequestException);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _engineLock.EnterWriteLock();
        try
        {
            _engine?.Dispose(commit: !_faulted && IndexPresent(IndexPath));
            _engine = null;
            _state = SearchIndexState.Closed;
        }
        finally
        {
            _engineLock.ExitWriteLock();
        }
        _analyzers.Dispose();
    }

    /// <summary>One open index: writer, NRT searcher manager and its reopen thread.</summary>
    private sealed class Engine
    {
        private IDictionary<string, string> _commitData;

        public Engine(string path, SearchAnalyzers analyzers, SearchOptions options, bool create, IDictionary<string, string>? commitData = null)
        {
            Path = path;
            System.IO.Directory.CreateDirectory(path);
            Directory = new MappedDirectory(new DirectoryInfo(path));
            try
            {
                var config = new IndexWriterConfig(SearchFields.Version, analyzers.PerField)
                {
                    OpenMode = create ? OpenMode.CREATE : OpenMode.APPEND,
                    RAMBufferSizeMB = options.RamBufferMB,
                };
                Writer = new IndexWriter(Directory, config);
                _commitData = create ? commitData ?? new Dictionary<string, string>() : new Dictionary<string, string>(Writer.CommitData);
                if (create) Commit(_commitData);
                Tracking = new TrackingIndexWriter(Writer);
                Manager = new SearcherManager(Writer, applyAllDeletes: true, searcherFactory: null);
                // Probe: open a searcher over every segment and read the newest document, so a broken index fails here.
                var searcher = Manager.Acquire();
                try
                {
                    var reader = searcher.IndexReader;
                    if (reader.MaxDoc > 0) reader.Document(reader.MaxDoc - 1);
                    searcher.Search(new MatchAllDocsQuery(), 1);
                }
                finally
                {
                    Manager.Release(searcher);
                }
                Reopen = new ControlledRealTimeReopenThread<IndexSearcher>(Tracking, Manager, options.MaxStaleness.TotalSeconds, 0.005)
                {
                    IsBackground = true,
                    Name = "search-nrt-reopen",
                };
                Reopen.Start();
            }
            catch
            {
                Dispose(commit: false);
                throw;
            }
        }

        public string Path { get; }
        public LuceneDirectory Directory { get; }
        public IndexWriter Writer { get; } = null!;
        public TrackingIndexWriter Tracking { get; } = null!;
        public SearcherManager Manager { get; } = null!;
        public ControlledRealTimeReopenThread<IndexSearcher> Reopen { get; } = null!;
        public bool Healthy { get; private set; } = true;
        public IReadOnlyDictionary<string, string> CommitData => new Dictionary<string, string>(_commitData);

        /// <summary>Commits pending changes; <paramref name="data"/> replaces the commit's user data when given.</summary>
        public void Commit(IDictionary<string, string>? data)
        {
            try
            {
                if (data is not null) _commitData = data;
                Writer.SetCommitData(_commitData);
                Writer.Commit();
            }
            catch
            {
                Healthy = false;
                throw;
            }
        }

        public void Dispose(bool commit)
        {
            // Each part is closed even if an earlier one fails (its files may be gone).
            Try(() => Reopen?.Dispose());
            Try(() => Manager?.Dispose());
            if (Writer is not null)
            {
                if (commit) Try(() => Writer.Dispose());
                else Try(() => Writer.Rollback());
            }
            Try(() => Directory.Dispose());
        }

        private static void Try(Action action)
        {
            try
            {
                action();
            }
            catch (Exception)
            {
                // Closing a damaged or deleted index may fail; it is being replaced, nothing more to do.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index at {IndexPath} opened with {DocumentCount} documents.")]
    private partial void LogOpened(string indexPath, int documentCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search index at {IndexPath} is {Reason}; rebuilding it.")]
    private partial void LogRebuilding(string indexPath, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Search index at {IndexPath} rebuilt: {DocumentCount} documents in {Seconds:F1} s.")]
    private partial void LogRebuilt(string indexPath, long documentCount, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Search index at {IndexPath} has no document source; it starts empty.")]
    private partial void LogNoSource(string indexPath);

    [LoggerMessage(Level = LogLevel.Error, Message = "Search index at {IndexPath} is damaged; it will be rebuilt.")]
    private partial void LogDamaged(Exception exception, string indexPath);
}
