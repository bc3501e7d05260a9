namespace Portal.Grains;

public static class GrainStorageNames
{
    /// <summary>Memory in embedded mode (state there is rebuilt from the ledger), Redis in cluster mode.</summary>
    public const string Default = "portal";
}
