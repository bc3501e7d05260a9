using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Grains.Ledger;
using Portal.Grains.Model;

namespace Portal.Grains.Extensions;

public static class ElectionServicesExtensions
{
    /// <summary>The Redis of the cluster, where Ledger:Store = redis keeps the ledger.</summary>
    public const string ClusterRedisKey = "Cluster:Redis";

    /// <summary>
    /// The election clock (section "Demo": Enabled -> accelerated) and the ledger store ("Ledger"; Redis at Cluster:Redis
    /// when Ledger:Store = redis, else SQLite at Ledger:Path or {data-dir}/ledger.db). The host decides Ledger:Store
    /// from its hosting mode (the portal's HostingPlan: redis exactly when clustered).
    /// Needs an <see cref="ElectionCatalog"/> singleton.
    /// </summary>
    public static IHostApplicationBuilder AddElectionLedger(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.Section)
            .Validate(o => o.MaxBatch >= 1, "Ledger:MaxBatch must be at least 1")
            .Validate(o => o.Store is "sqlite" or "redis", "Ledger:Store must be sqlite or redis")
            .ValidateOnStart();
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section)
            .Validate(o => o.DayMinutes > 0 && o.DayHours > 0, "Demo:DayMinutes and Demo:DayHours must be positive")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(sp =>
        {
            var demo = sp.GetRequiredService<IOptions<DemoOptions>>().Value;
            var catalog = sp.GetRequiredService<ElectionCatalog>();
            return demo.Enabled ? ElectionClock.Accelerated(catalog, demo) : new ElectionClock(catalog);
        });
        builder.Services.AddOptions<Counting.CountingOptions>().BindConfiguration(Counting.CountingOptions.Section)
            .Validate(o => o.ClipMinutes >= 1 && o.DemoClipMinutes >= 1 && o.MinCounts >= 1 && o.MinCounts <= o.MaxCounts && o.MaxPressesPerSecond > 0, "Counting: clip minutes and MinCounts at least 1, MinCounts <= MaxCounts, MaxPressesPerSecond > 0").ValidateOnStart();
        builder.Services.TryAddSingleton<Counting.CountingPlan>();
        var configuration = builder.Configuration;
        // The Redis chain (reads and the fenced append), for the store and for the chain's writer grain on this silo.
        builder.Services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LedgerOptions>>().Value;
            var redis = configuration[ClusterRedisKey];
            if (options.Store != "redis" || string.IsNullOrWhiteSpace(redis))
                throw new OptionsValidationException(ClusterRedisKey, typeof(LedgerOptions), ["the Redis ledger needs Ledger:Store = redis and Cluster:Redis"]);
            return new RedisLedgerChain(redis, options, sp.GetRequiredService<ILogger<RedisLedgerChain>>());
        });
        builder.Services.TryAddSingleton<ILedgerStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<LedgerOptions>>().Value;
            if (options.Store == "redis")
                return new RedisLedgerStore(sp.GetRequiredService<RedisLedgerChain>(), sp.GetRequiredService<IGrainFactory>(), sp.GetRequiredService<ILogger<RedisLedgerStore>>());
            var dataDir = configuration["data-dir"] ?? configuration["DataDir"] ?? "data";
            var path = options.Path ?? Path.Combine(dataDir, "ledger.db");
            return new SqliteLedgerStore(path, options.GroupCommit, options.MaxBatch, sp.GetRequiredService<ILogger<SqliteLedgerStore>>());
        });
        return builder;
    }
}
