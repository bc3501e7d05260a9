using System.Net;
using Orleans.Configuration;
using Orleans.Storage;
using Portal.Grains;
using Portal.Grains.Storage;
using Portal.Hosting;
using StackExchange.Redis;

namespace Portal.Extensions;

public static class OrleansHostingExtensions
{
    /// <summary>
    /// Co-hosts the silo. Embedded: localhost clustering and memory grain storage (grain state is rebuilt
    /// from the ledger). Cluster: Redis membership and Redis grain storage, so silo processes on any
    /// number of machines form one cluster. The one place where the two modes differ.
    /// </summary>
    public static IHostApplicationBuilder AddPortalSilo(this IHostApplicationBuilder builder, PortalClusterOptions cluster)
    {
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => { o.ClusterId = cluster.ClusterId; o.ServiceId = cluster.ServiceId; });
            if (cluster.Enabled)
            {
                var redis = ConfigurationOptions.Parse(cluster.Redis);
                silo.UseRedisClustering(o => o.ConfigurationOptions = redis.Clone());
                silo.AddRedisGrainStorage(GrainStorageNames.Default, o => o.ConfigurationOptions = redis.Clone());
                silo.AddRedisGrainStorage(GrainStorageNames.Durable, o => o.ConfigurationOptions = redis.Clone());
                silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
            }
            else
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                silo.AddMemoryGrainStorage(GrainStorageNames.Default);
                // Volunteer counts are not in the ledger, so they need storage of their own that survives a restart.
                var countingPath = builder.Configuration["Counting:StorePath"] ?? Path.Combine(builder.Configuration["data-dir"] ?? "data", "counting.db");
                silo.Services.AddKeyedSingleton<IGrainStorage>(GrainStorageNames.Durable,
                    (sp, _) => new SqliteGrainStorage(countingPath, sp.GetRequiredService<IGrainStorageSerializer>()));
            }
        });
        return builder;
    }
}
