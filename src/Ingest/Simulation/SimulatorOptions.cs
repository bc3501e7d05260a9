namespace Portal.Ingest.Simulation;

/// <summary>Options section "Simulator".</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    public bool Enabled { get; set; }

    /// <summary>"demo": plays the election day on the election clock; "load": every protocol at once, as fast as allowed.</summary>
    public string Mode { get; set; } = "demo";

    /// <summary>The private-keys CSV (stationId,keyId,privateKey). Required when enabled.</summary>
    public string? PrivateKeysPath { get; set; }

    /// <summary>The portal to drive; default: this host's first listening address.</summary>
    public string? BaseUrl { get; set; }

    public int Concurrency { get; set; } = 16;

    /// <summary>Stations whose protocols arrive late (about 23:30).</summary>
    public double LatePercent { get; set; } = 3;

    /// <summary>Stations that send a corrected protocol (version 2) after the first.</summary>
    public double CorrectionPercent { get; set; } = 2;

    public int Seed { get; set; } = 2024;

    /// <summary>
    /// Demo stations whose count is manipulated, so the statistics for observers (docs/forensics.md) have something real
    /// to find: ballots stuffed for the contest's leading party (turnout and its share near 100 %, and a turnout jump at
    /// 20:00) ...
    /// </summary>
    public double StuffedPercent { get; set; } = 3;

    /// <summary>... the turnout written in as a whole percentage ...</summary>
    public double WholeTurnoutPercent { get; set; } = 4;

    /// <summary>... and every candidate's tally rounded to 0 or 5. Zero turns a manipulation off.</summary>
    public double RoundedTalliesPercent { get; set; } = 6;
}
