using System.ComponentModel.DataAnnotations;

namespace Portal.Search;

/// <summary>Configuration section "Search".</summary>
public sealed class SearchOptions
{
    public const string SectionName = "Search";
    public const string DefaultIndexPath = "data/search";

    /// <summary>The index directory (the Portal puts it under --data-dir).</summary>
    [Required]
    public string IndexPath { get; set; } = DefaultIndexPath;

    /// <summary>How often the hosted service checks that the index on disk is still there and sound.</summary>
    public TimeSpan HealthCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest time a change stays invisible to searches when nobody waits for it.</summary>
    public TimeSpan MaxStaleness { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Indexing buffer before a segment is flushed.</summary>
    [Range(4, 2048)]
    public double RamBufferMB { get; set; } = 48;
}
