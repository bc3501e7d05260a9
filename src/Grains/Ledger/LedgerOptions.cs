namespace Portal.Grains.Ledger;

/// <summary>Options section "Ledger".</summary>
public sealed class LedgerOptions
{
    public const string Section = "Ledger";
    public const int DefaultMaxBatch = 512;

    /// <summary>"sqlite" (embedded, default) or "redis" (cluster; connection string from Cluster:Redis).</summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>SQLite file; default {DataDir}/ledger.db.</summary>
    public string? Path { get; set; }

    /// <summary>Off means one transaction (one fsync) per entry: only for the benchmark's baseline.</summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>Most entries one transaction (one fsync) carries.</summary>
    public int MaxBatch { get; set; } = DefaultMaxBatch;

    /// <summary>Redis key prefix (cluster store).</summary>
    public string RedisPrefix { get; set; } = "portal:ledger";

    /// <summary>Redis: replicas that must acknowledge (WAIT) before an append counts; 0 = the primary's fsynced AOF only.</summary>
    public int RedisWaitReplicas { get; set; }
}
