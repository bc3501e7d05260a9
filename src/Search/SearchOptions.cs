using System.ComponentModel.DataAnnotations;
using Portal.Search.Elasticsearch;

namespace Portal.Search;

/// <summary>Configuration section "Search": the backend, the embedded Lucene index's settings, and Elasticsearch's.</summary>
public sealed class SearchOptions
{
    public const string SectionName = "Search";
    public const string DefaultIndexPath = "data/search";
    public const string LuceneBackend = "lucene";
    public const string ElasticsearchBackend = "elasticsearch";

    /// <summary><see cref="LuceneBackend"/> (embedded, one index per node, the default) or <see cref="ElasticsearchBackend"/> (one index for every node).</summary>
    public string Backend { get; set; } = LuceneBackend;

    /// <summary>Lucene: the index directory (the Portal puts it under --data-dir).</summary>
    [Required]
    public string IndexPath { get; set; } = DefaultIndexPath;

    /// <summary>How often the hosted service checks that the index is still there and sound.</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Lucene: longest time a change stays invisible to searches when nobody waits for it.</summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Lucene: indexing buffer before a segment is flushed.</summary>
    [Range(4, 2048)]
    public double RamBufferMB { get; set; } = 48;

    /// <summary>Section "Search:Elasticsearch", read when <see cref="Backend"/> is <see cref="ElasticsearchBackend"/>.</summary>
    public ElasticsearchOptions Elasticsearch { get; set; } = new();

    public bool UsesElasticsearch => string.Equals(Backend, ElasticsearchBackend, StringComparison.OrdinalIgnoreCase);

    /// <summary>Every problem with the settings, each naming its key (never a value: some are secrets).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!UsesElasticsearch && !string.Equals(Backend, LuceneBackend, StringComparison.OrdinalIgnoreCase))
            errors.Add($"Search:Backend must be {LuceneBackend} or {ElasticsearchBackend}.");
        if (HealthCheckInterval <= TimeSpan.Zero) errors.Add("Search:HealthCheckInterval must be positive.");
        if (UsesElasticsearch) errors.AddRange(Elasticsearch.Validate());
        else
        {
            if (string.IsNullOrWhiteSpace(IndexPath)) errors.Add("Search:IndexPath is required.");
            if (MaxStaleness <= TimeSpan.Zero) errors.Add("Search:MaxStaleness must be positive.");
            if (RamBufferMB is < 4 or > 2048) errors.Add("Search:RamBufferMB must be between 4 and 2048.");
        }
        return errors;
    }
}

/// <summary>The search settings are unusable; the host refuses to start (the Portal exits with code 2).</summary>
public sealed class SearchConfigurationException(IReadOnlyList<string> errors)
    : Exception("The search settings were refused: " + string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
