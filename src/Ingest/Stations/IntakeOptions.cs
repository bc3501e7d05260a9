namespace Portal.Ingest.Stations;

/// <summary>Options section "Intake".</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Submissions in flight (verified, waiting for the ledger) before new ones get 429.</summary>
    public int MaxInFlight { get; set; } = 2048;

    /// <summary>Import every station's public key in the background after start (see StationKeyPreloader).</summary>
    public bool PreloadKeys { get; set; } = true;

    /// <summary>Retry-After seconds on 429.</summary>
    public int RetryAfterSeconds { get; set; } = 1;
}
