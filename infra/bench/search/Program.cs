using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.Grains.Text;
using Portal.Ingest.Decisions;
using Portal.Ingest.Search;
using Portal.Search;
using Portal.Search.Documents;
using Portal.Search.Lucene;

// Search benchmark: builds an index of 200,000 realistic documents (100,000 stations, 10,000 candidates, 90,000
// decisions), then times 1,000 fixed queries of mixed kinds. Prints figures; asserts nothing.
// Usage: dotnet run -c Release --project infra/bench/search [-- --stations N --candidates N --decisions N --queries N --dir PATH --keep --kind KIND --no-publish --warm-up N]
var settings = Settings.Parse(args);
var directory = settings.Directory ?? Path.Combine(Path.GetTempPath(), "search-bench-" + Guid.NewGuid().ToString("N"));
Console.WriteLine($"Search benchmark: {settings.Stations:N0} stations, {settings.Candidates:N0} candidates, {settings.Decisions:N0} decisions, {settings.Queries:N0} queries");
Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, load average {Load()}, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}; index at {directory}");

var corpus = new Corpus(settings);
var index = new LuceneSearchIndex(Options.Create(new SearchOptions { IndexPath = directory }), NullLogger<LuceneSearchIndex>.Instance);
try
{
    var existing = Directory.Exists(directory) && Directory.EnumerateFiles(directory, "segments_*").Any();
    var buildCpu = Process.GetCurrentProcess().TotalProcessorTime;
    var build = Stopwatch.StartNew();
    await index.OpenAsync(corpus, new Progress<SearchRebuildProgress>(p =>
    {
        if (p.Indexed % 50_000 < 2_000) Console.WriteLine($"  indexed {p.Indexed:N0} in {p.Elapsed.TotalSeconds:F1} s");
    }));
    build.Stop();
    var size = new DirectoryInfo(directory).EnumerateFiles().Sum(f => f.Length);
    var segments = new DirectoryInfo(directory).EnumerateFiles("*.si").Count();
    buildCpu = Process.GetCurrentProcess().TotalProcessorTime - buildCpu;
    if (existing)
        Console.WriteLine($"Opened the existing index with {index.DocumentCount:N0} documents in {build.Elapsed.TotalSeconds:F1} s (not rebuilt: --dir given and it was complete)");
    else
        Console.WriteLine($"Build: {index.DocumentCount:N0} documents in {build.Elapsed.TotalSeconds:F1} s ({index.DocumentCount / build.Elapsed.TotalSeconds:N0} docs/s), {buildCpu.TotalSeconds:F0} s of CPU (generation included)");
    Console.WriteLine($"Index size: {size / 1024.0 / 1024.0:F1} MiB in {segments} segments; average decision body {corpus.AverageDecisionChars:N0} chars per language");

    var queries = QuerySet.Create(corpus, settings.Queries).Select(q => q with { Request = q.Request with { PageSize = settings.PageSize } })
        .Where(q => settings.Kind is null || q.Kind == settings.Kind).ToList(); // --kind: one kind only, for profiling
    // Warm-up: the runtime compiles hot code again, optimised, after some calls (tiered JIT, on the other core), and a
    // portal serving searches all day runs that code. So the timed queries start from a steady state: a warm-up set of
    // the same kinds drawn with another seed (so none of the timed queries has run before), then the first 100.
    var warmUp = QuerySet.Create(corpus, settings.WarmUp, seed: 7).Select(q => q with { Request = q.Request with { PageSize = settings.PageSize } });
    foreach (var query in warmUp) await index.SearchAsync(query.Request);
    foreach (var query in queries.Take(100)) await index.SearchAsync(query.Request);

    // Wall time suffers when other processes share the cores; the process's CPU time per query does not.
    var queryCpu = Process.GetCurrentProcess().TotalProcessorTime;
    int[] gcBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    var pauseBefore = GC.GetTotalPauseDuration();
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var timings = new List<(string Kind, double Ms, int Hits, string Query)>(queries.Count);
    var errors = 0;
    foreach (var query in queries)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var results = await index.SearchAsync(query.Request);
            stopwatch.Stop();
            timings.Add((query.Kind, stopwatch.Elapsed.TotalMilliseconds, results.Total, query.Request.Query ?? ""));
        }
        catch (SearchRequestException e)
        {
            errors++;
            Console.WriteLine($"  query refused: {query.Request.Query} ({e.Message})");
        }
    }
    queryCpu = Process.GetCurrentProcess().TotalProcessorTime - queryCpu;
    var pause = GC.GetTotalPauseDuration() - pauseBefore;
    var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
    var all = timings.Select(t => t.Ms).DefaultIfEmpty(0).ToList();
    Console.WriteLine($"Queries: {timings.Count:N0} timed (page of {settings.PageSize} with highlights), {errors} refused, {timings.Count(t => t.Hits == 0)} with no hits");
    Console.WriteLine($"Latency ms: p50 {Percentile(all, 50):F2}  p95 {Percentile(all, 95):F2}  p99 {Percentile(all, 99):F2}  max {all.Max():F2}  mean {all.Average():F2}");
    Console.WriteLine($"CPU per query (process CPU time / queries): {queryCpu.TotalMilliseconds / Math.Max(1, timings.Count):F2} ms; " +
        $"GCs during the timed queries (gen0/1/2): {GC.CollectionCount(0) - gcBefore[0]}/{GC.CollectionCount(1) - gcBefore[1]}/{GC.CollectionCount(2) - gcBefore[2]}, " +
        $"paused {pause.TotalMilliseconds:F0} ms in all; allocated {allocated / 1024.0 / Math.Max(1, timings.Count):N0} KiB per query");
    var slow = timings.Where(t => t.Ms > 10).ToList();
    Console.WriteLine($"Over 10 ms: {slow.Count} of {timings.Count} queries: " +
        string.Join(", ", slow.GroupBy(t => t.Query).OrderByDescending(g => g.Count()).Take(8).Select(g => $"{g.Key} x{g.Count()}")));
    foreach (var group in timings.GroupBy(t => t.Kind).OrderBy(g => g.Key))
    {
        var ms = group.Select(t => t.Ms).ToList();
        Console.WriteLine($"  {group.Key,-22} n={ms.Count,4}  p50 {Percentile(ms, 50),6:F2}  p95 {Percentile(ms, 95),6:F2}  p99 {Percentile(ms, 99),6:F2}  avg hits {group.Average(t => t.Hits),8:N0}");
    }

    Console.WriteLine("Slowest queries (query: avg ms over its runs, n, total hits):");
    foreach (var group in timings.GroupBy(t => (t.Kind, t.Query)).OrderByDescending(g => g.Max(t => t.Ms)).Take(8))
        Console.WriteLine($"  {group.Key.Kind,-22} {group.Key.Query,-40} avg {group.Average(t => t.Ms),6:F2} ms  n={group.Count(),3}  hits {group.First().Hits:N0}");

    // Publishing: a decision visible (and committed) on the full index.
    var publish = new List<double>();
    for (var i = 0; i < (settings.Publish ? 20 : 0); i++)
    {
        var decision = corpus.Sample.Decisions[i] with { Id = $"bench-publish-{i}", Number = $"MSK-{9000 + i}-son" };
        var stopwatch = Stopwatch.StartNew();
        await index.IndexDecisionAsync(decision);
        publish.Add(stopwatch.Elapsed.TotalMilliseconds);
    }
    if (publish.Count > 0)
        Console.WriteLine($"Publish to searchable (IndexDecisionAsync, 20 decisions): p50 {Percentile(publish, 50):F1} ms  max {publish.Max():F1} ms");
    Console.WriteLine($"Load average at the end: {Load()}");
}
finally
{
    index.Dispose();
    if (!settings.Keep && settings.Directory is null) Directory.Delete(directory, recursive: true);
}

static double Percentile(List<double> values, double percentile)
{
    var sorted = values.Order().ToList();
    var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count) - 1;
    return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
}

static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

internal sealed record Settings(int Stations, int Candidates, int Decisions, int Queries, string? Directory, bool Keep, int PageSize, string? Kind, bool Publish, int WarmUp)
{
    public static Settings Parse(string[] args)
    {
        int Int(string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }
        var dir = Array.IndexOf(args, "--dir");
        var kind = Array.IndexOf(args, "--kind");
        return new(Int("--stations", 100_000), Int("--candidates", 10_000), Int("--decisions", 90_000), Int("--queries", 1_000),
            dir >= 0 && dir + 1 < args.Length ? args[dir + 1] : null, args.Contains("--keep"), Int("--page-size", 20),
            kind >= 0 && kind + 1 < args.Length ? args[kind + 1] : null, !args.Contains("--no-publish"), Int("--warm-up", 1_000));
    }
}

/// <summary>
/// The documents, generated while indexing so they need not all sit in memory: the stations of one big demo election,
/// its candidates plus more made from the same name pools, and the decisions of many demo elections (each a few hundred,
/// different people and places), renumbered.
/// </summary>
internal sealed class Corpus(Settings settings) : ISearchDocumentSource
{
    public ElectionDefinition Big { get; } = DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = settings.Stations });
    public (ElectionDefinition Election, IReadOnlyList<DecisionDocument> Decisions) Sample { get; } = SampleDecisions();
    public double AverageDecisionChars { get; private set; }

    private static (ElectionDefinition, IReadOnlyList<DecisionDocument>) SampleDecisions()
    {
        var election = DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = 3000 });
        return (election, DemoDecisionGenerator.Generate(election, new DemoDecisionOptions()));
    }

    public ValueTask<string?> GetFingerprintAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

    public async IAsyncEnumerable<SearchDocument> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var mapped = ElectionSearchDocuments.Map(Big).ToList();
        foreach (var station in mapped.OfType<StationDocument>().Take(settings.Stations)) yield return station;
        var candidates = mapped.OfType<CandidateDocument>().Take(settings.Candidates).ToList();
        foreach (var candidate in candidates) yield return candidate;
        foreach (var candidate in ExtraCandidates(candidates, settings.Candidates - candidates.Count)) yield return candidate;

        long chars = 0, texts = 0;
        var produced = 0;
        for (var round = 0; produced < settings.Decisions; round++)
        {
            // Each round is another demo election (other seed, other year): other names, addresses, dates and numbers.
            var day = new DateOnly(2000 + round % 25, 3 + round % 9, 1 + round % 27);
            var election = DemoElectionGenerator.Generate(new DemoElectionOptions { Seed = 1000 + round, Stations = 1500 + round % 7 * 300, ElectionDay = day });
            foreach (var decision in DemoDecisionGenerator.Generate(election, new DemoDecisionOptions { Seed = round, FirstCecNumber = 1000 + round * 100 }))
            {
                if (produced++ >= settings.Decisions) break;
                chars += decision.Body.Values.Sum(b => (long)b.Length);
                texts += decision.Body.Count;
                yield return decision with { Id = $"r{round}-{decision.Id}", Number = $"{decision.Number} ({day.Year})" };
            }
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
        }
        AverageDecisionChars = texts == 0 ? 0 : (double)chars / texts;
    }

    private static IEnumerable<CandidateDocument> ExtraCandidates(List<CandidateDocument> real, int count)
    {
        var random = new Random(7);
        var parts = real.Select(c => c.Name.Split(' ')).Where(p => p.Length == 3).ToList();
        for (var i = 0; i < count; i++)
        {
            var template = real[random.Next(real.Count)];
            var name = $"{parts[random.Next(parts.Count)][0]} {parts[random.Next(parts.Count)][1]} {parts[random.Next(parts.Count)][2]}";
            yield return template with
            {
                Id = $"x-{i}", Name = name, ContestId = "district-council", ConstituencyId = $"dc-{i / 5}",
                NameForms = new Dictionary<string, string> { ["uz-Cyrl"] = UzbekTransliteration.ToCyrillic(name) },
                Url = $"/contests/district-council/constituencies/dc-{i / 5}",
            };
        }
    }
}

internal sealed record BenchQuery(string Kind, SearchRequest Request);

internal static class QuerySet
{
    public static List<BenchQuery> Create(Corpus corpus, int count, int seed = 42)
    {
        var random = new Random(seed);
        var candidates = corpus.Big.Contests.SelectMany(c => c.Constituencies).SelectMany(k => k.Candidates).ToList();
        var stations = corpus.Big.Stations;
        var districts = corpus.Big.Contests[0].Constituencies.Select(k => k.Name["uz"].Split(" saylov")[0]).Distinct().ToList();
        string[] russian = ["выборы", "аккредитация наблюдателей", "регистрации кандидатов", "избирательных участков", "итоги выборов", "опросов общественного мнения"];
        string[] english = ["observers accreditation", "Article 103", "polling stations webcams", "registration of candidates", "results of the elections"];
        string[] uzbek = ["saylov uchastkalarini tuzish", "kuzatuvchilarni akkreditatsiya", "E-Saylov", "nomzodlarni roʻyxatga olish", "saylov yakunlari", "ovoz berish"];
        string[] streets = ["Amir Temur", "Mustaqillik", "Navro'z", "Alisher Navoiy", "Bunyodkor", "Cho'lpon"];
        var queries = new List<BenchQuery>(count);
        for (var i = 0; i < count; i++)
        {
            var candidate = candidates[random.Next(candidates.Count)];
            var parts = candidate.Name.Split(' ');
            var roll = random.Next(100);
            queries.Add(roll switch
            {
                < 15 => new("surname-latin", new SearchRequest { Query = parts[0] }),
                < 25 => new("surname-cyrillic", new SearchRequest { Query = candidate.NameForms!["uz-Cyrl"].Split(' ')[0] }),
                < 33 => new("full-name-phrase", new SearchRequest { Query = $"\"{parts[0]} {parts[1]}\"" }),
                < 45 => new("prefix-typing", new SearchRequest { Query = parts[0][..Math.Min(parts[0].Length, 3 + random.Next(3))] }),
                < 53 => new("station-number", new SearchRequest { Query = $"{stations[random.Next(stations.Count)].Number}-son saylov uchastkasi", Types = [SearchDocumentType.Station] }),
                < 60 => new("street-district", new SearchRequest { Query = $"{streets[random.Next(streets.Length)]} {districts[random.Next(districts.Count)]}" }),
                < 70 => new("decision-russian", new SearchRequest { Query = russian[random.Next(russian.Length)] }),
                < 76 => new("decision-english", new SearchRequest { Query = english[random.Next(english.Length)] }),
                < 86 => new("decision-uzbek", new SearchRequest { Query = uzbek[random.Next(uzbek.Length)] }),
                < 93 => new("filtered-decisions", new SearchRequest
                {
                    Query = uzbek[random.Next(uzbek.Length)], Types = [SearchDocumentType.Decision],
                    From = new DateOnly(2000 + random.Next(20), 1, 1), To = new DateOnly(2021 + random.Next(4), 12, 31),
                }),
                _ => new("region-filter", new SearchRequest
                {
                    Query = districts[random.Next(districts.Count)], RegionId = corpus.Big.Regions[random.Next(corpus.Big.Regions.Count)].Id,
                    Page = 1 + random.Next(3),
                }),
            });
        }
        return queries;
    }
}
