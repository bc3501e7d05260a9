namespace Portal.Hosting;

/// <summary>The start options of api.md section 1 "Election definition" (<c>--election</c>, <c>--station-keys</c>, <c>--data-dir</c>).</summary>
public sealed class PortalOptions
{
    public const string DefaultDataDir = "./data";

    /// <summary>The election definition file; without it the demo election is generated.</summary>
    public string? Election { get; set; }

    /// <summary>The stations' public-keys CSV; with the demo election the demo writes both halves.</summary>
    public string? StationKeys { get; set; }

    /// <summary>Where the ledger, the search index and the video archive live.</summary>
    public string DataDir { get; set; } = DefaultDataDir;

    public bool IsDemo => string.IsNullOrEmpty(Election);

    public static PortalOptions From(IConfiguration configuration) => new()
    {
        Election = configuration["election"],
        StationKeys = configuration["station-keys"] ?? configuration["stationKeys"],
        DataDir = configuration["data-dir"] ?? configuration["dataDir"] ?? DefaultDataDir,
    };
}

/// <summary>Orleans clustering (section "Cluster"): embedded localhost clustering unless <see cref="Enabled"/>.</summary>
public sealed class PortalClusterOptions
{
    public bool Enabled { get; set; }

    /// <summary>StackExchange.Redis configuration string, e.g. 127.0.0.1:6379.</summary>
    public string Redis { get; set; } = "127.0.0.1:6379";
    public string ClusterId { get; set; } = "portal";
    public string ServiceId { get; set; } = "election-portal";
    public int SiloPort { get; set; } = 11111;
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos reach this one at; loopback for the single-machine tests.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";
}
