using System.Net;
using Orleans.Configuration;
using Portal.Grains;
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
                silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: false);
            }
            else
            {
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                silo.AddMemoryGrainStorage(GrainStorageNames.Default);
            }
        });
        return builder;
    }
}
