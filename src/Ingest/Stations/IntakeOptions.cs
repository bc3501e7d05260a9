namespace Portal.Ingest.Stations;

/// <summary>Options section "Intake".</summary>
public sealed class IntakeOptions
{
    public const string Section = "Intake";
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Signed submissions in flight (signature verified, waiting for the ledger) before new ones get 429.</summary>
    public int MaxInFlight { get; set; } = 2048;

    /// <summary>Signed submissions in flight per station key before a further one gets 429 (a station sends one at a time).</summary>
    public int MaxInFlightPerKey { get; set; } = 2;

    /// <summary>
    /// The slowest body accepted, bytes per second after <see cref="MinBodyRateGraceSeconds"/> (Kestrel's per-request
    /// minimum data rate; slower is 408). Station bodies are a few hundred bytes, sent with the headers.
    /// </summary>
    public int MinBodyBytesPerSecond { get; set; } = 1024;

    public int MinBodyRateGraceSeconds { get; set; } = 2;

    /// <summary>The whole body must arrive within this many seconds of the headers (408 after it).</summary>
    public int BodyTimeoutSeconds { get; set; } = 10;

    /// <summary>Import every station's public key in the background after start (see StationKeyPreloader).</summary>
    public bool PreloadKeys { get; set; } = true;

    /// <summary>Retry-After seconds on 429.</summary>
    public int RetryAfterSeconds { get; set; } = 1;
}
