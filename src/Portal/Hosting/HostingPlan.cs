using System.Net;

namespace Portal.Hosting;

/// <summary>What a node does in the cluster (<c>Cluster:Role</c>).</summary>
public enum NodeRole
{
    /// <summary>Everything: pages, hub, APIs, cameras, HLS origin. The only role of an embedded node.</summary>
    All,

    /// <summary>Pages, hub, station and public APIs, HLS from the shared video store; no camera.</summary>
    Web,

    /// <summary>Cameras (one ffmpeg each, placed by Redis leases) and the HLS origin; no pages, hub or station API.</summary>
    Gateway,
}

/// <summary>A hosting configuration that cannot work; the start stops with exit code 2 and these lines.</summary>
public sealed class HostingPlanException(IReadOnlyList<string> errors) : Exception(string.Join("; ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>
/// The one hosting decision. Bound and validated once, before anything is registered, from <c>Cluster:Enabled</c> and
/// <c>Cluster:Role</c>; everything that differs between embedded and cluster mode asks this plan instead of reading
/// configuration: Orleans clustering and grain storage, the ledger store, camera placement, the hub backplane, data
/// protection keys, the shared Redis connection, the ops login lockout and the demo clock's anchor.
/// </summary>
public sealed class HostingPlan
{
    private const string PropertyKey = "Portal.HostingPlan";

    private HostingPlan(PortalClusterOptions cluster, NodeRole role)
    {
        Cluster = cluster;
        Role = role;
    }

    public PortalClusterOptions Cluster { get; }

    public NodeRole Role { get; }

    public bool Clustered => Cluster.Enabled;

    /// <summary>Pages, the live hub, the station API, the public read API, search, ops.</summary>
    public bool ServesWeb => Role != NodeRole.Gateway;

    /// <summary>Supervises cameras (those whose lease it holds, in cluster mode).</summary>
    public bool RunsCameras => Role != NodeRole.Web;

    /// <summary>Redis keys and channels of this deployment start with this, so two deployments can share one Redis.</summary>
    public string RedisPrefix => Cluster.ServiceId + ":";

    /// <summary>
    /// Reads and checks the hosting options. Settings that follow from the mode are written into
    /// <paramref name="configuration"/> as defaults (Ledger:Store, Gateway:Placement, Gateway:Supervise, ...), so the parts
    /// that bind their own sections see the same decision; a contradicting explicit setting is an error.
    /// </summary>
    /// <exception cref="HostingPlanException">the combination cannot work.</exception>
    public static HostingPlan Decide(IConfigurationManager configuration)
    {
        var errors = new List<string>();
        var cluster = new PortalClusterOptions();
        try
        {
            configuration.GetSection("Cluster").Bind(cluster);
        }
        catch (InvalidOperationException e)
        {
            throw new HostingPlanException([$"Cluster: {e.Message}"]);
        }

        var roleText = configuration["Cluster:Role"] ?? "all";
        if (!Enum.TryParse<NodeRole>(roleText, ignoreCase: true, out var role) || !Enum.IsDefined(role) || int.TryParse(roleText, out _))
        {
            errors.Add($"Cluster:Role: \"{roleText}\" is not a role; use all, web or gateway");
            role = NodeRole.All;
        }

        string? Explicit(string key) => string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key]!.Trim();
        var ledgerStore = Explicit("Ledger:Store")?.ToLowerInvariant();
        var placement = Explicit("Gateway:Placement")?.ToLowerInvariant();
        var supervise = Explicit("Gateway:Supervise")?.ToLowerInvariant();
        var defaults = new Dictionary<string, string?>();

        if (cluster.Enabled)
        {
            if (string.IsNullOrWhiteSpace(cluster.Redis)) errors.Add("Cluster:Redis: required when Cluster:Enabled (the Redis every node shares)");
            if (!IPAddress.TryParse(cluster.AdvertisedAddress, out _))
                errors.Add($"Cluster:AdvertisedAddress: \"{cluster.AdvertisedAddress}\" is not an IP address other silos can reach");
            if (cluster.SiloPort is < 1 or > 65535 || cluster.GatewayPort is < 1 or > 65535 || cluster.SiloPort == cluster.GatewayPort)
                errors.Add("Cluster:SiloPort and Cluster:GatewayPort: two different ports between 1 and 65535");
            if (ledgerStore is not null and not "redis")
                errors.Add($"Ledger:Store: \"{ledgerStore}\" with Cluster:Enabled would give every node a ledger of its own; a cluster keeps one ledger in Redis (leave Ledger:Store unset)");
            if (placement is not null and not "redis")
                errors.Add($"Gateway:Placement: \"{placement}\" with Cluster:Enabled would run every camera on every node; a cluster places cameras by Redis leases (leave Gateway:Placement unset)");
            if (Explicit("Gateway:DataDir") is null)
                errors.Add("Gateway:DataDir: required when Cluster:Enabled: the video folder every node shares (one path on shared storage), so any node serves any camera and a survivor continues a dead node's archive");
            defaults["Ledger:Store"] = "redis";
            defaults["Gateway:Placement"] = "redis";
            defaults["Gateway:RedisConfiguration"] = cluster.Redis;
            defaults["Gateway:RedisKeyPrefix"] = cluster.ServiceId + ":gateway:";
        }
        else
        {
            if (role != NodeRole.All)
                errors.Add($"Cluster:Role: \"{roleText}\" needs Cluster:Enabled; an embedded node does everything");
            if (ledgerStore == "redis")
                errors.Add("Ledger:Store: \"redis\" is the cluster's ledger; set Cluster:Enabled (with Cluster:Redis) or leave Ledger:Store unset");
            if (placement == "redis")
                errors.Add("Gateway:Placement: \"redis\" is cluster mode's camera placement; set Cluster:Enabled or leave Gateway:Placement unset");
            defaults["Ledger:Store"] = "sqlite";
            defaults["Gateway:Placement"] = "embedded";
        }

        if (role == NodeRole.Web && supervise == "true")
            errors.Add("Gateway:Supervise: \"true\" contradicts Cluster:Role web (a web node runs no camera)");
        if (role == NodeRole.Web) defaults["Gateway:Supervise"] = "false";
        if (role == NodeRole.Gateway && configuration.GetValue<bool>("Simulator:Enabled"))
            errors.Add("Simulator:Enabled: a gateway node has no station API to send to; run the simulator on a web node");
        if (role == NodeRole.Gateway) defaults["Simulator:Enabled"] = "false";

        if (errors.Count > 0) throw new HostingPlanException(errors);
        // Explicit settings win; only what is unset takes the plan's value.
        configuration.AddInMemoryCollection(defaults.Where(d => Explicit(d.Key) is null).ToDictionary());
        return new HostingPlan(cluster, role);
    }

    /// <summary>Decides once per builder and remembers the decision for every later <c>Add...</c> call.</summary>
    public static HostingPlan For(IHostApplicationBuilder builder)
    {
        if (builder.Properties.TryGetValue(PropertyKey, out var plan)) return (HostingPlan)plan;
        var decided = Decide(builder.Configuration);
        builder.Properties[PropertyKey] = decided;
        return decided;
    }
}
