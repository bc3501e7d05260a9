namespace Portal.Grains;

public static class GrainStorageNames
{
    /// <summary>Memory in embedded mode (state there is rebuilt from the ledger), Redis in cluster mode.</summary>
    public const string Default = "portal";

    /// <summary>State that is not derived from the ledger (volunteer counts): SQLite in embedded mode, Redis in cluster mode.</summary>
    public const string Durable = "portal-durable";
}
