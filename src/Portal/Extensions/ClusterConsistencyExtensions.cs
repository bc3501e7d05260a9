using Portal.Grains.Ledger;
using Portal.Ops;
using StackExchange.Redis;

namespace Portal.Extensions;

public static class ClusterConsistencyExtensions
{
    /// <summary>
    /// Every node applies a decision, an invalidation or a station-key change appended on any node within about a second:
    /// the appending node announces it on Redis (cluster mode) and each node's <see cref="LedgerChangeFollower"/> applies
    /// it to its ops view, key registry and embedded search index. Call after the ledger and the ops services are added.
    /// </summary>
    public static IHostApplicationBuilder AddClusterConsistency(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LedgerChangeOptions>().BindConfiguration(LedgerChangeOptions.Section)
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.PollInterval <= TimeSpan.FromSeconds(1), "Consistency:PollInterval must be > 0 and at most 1 s")
            .ValidateOnStart();
        services.AddSingleton(new PortalClusterChannel(RedisChannel.Literal(builder.GetHostingPlan().RedisPrefix + "ledger-changes")));
        services.AddSingleton<LedgerChangeSignal>();

        // Decorates whichever ledger store the host registered (SQLite or Redis), for grains and services alike.
        var registered = services.LastOrDefault(d => d.ServiceType == typeof(ILedgerStore))
            ?? throw new InvalidOperationException("AddClusterConsistency needs the ledger store registered first");
        services.Remove(registered);
        services.AddSingleton<ILedgerStore>(sp => new AnnouncingLedgerStore(Create(sp, registered), sp.GetRequiredService<LedgerChangeSignal>()));
        services.AddHostedService<LedgerChangeFollower>();
        return builder;
    }

    private static ILedgerStore Create(IServiceProvider sp, ServiceDescriptor descriptor) =>
        (ILedgerStore)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, descriptor.ImplementationType!));
}
