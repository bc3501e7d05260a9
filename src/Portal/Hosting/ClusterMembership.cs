using Portal.Grains.Abstractions;
using Portal.Grains.Model;

namespace Portal.Hosting;

/// <summary>Which silos are active and where the election grain lives: the view an operator needs when nodes come and go.</summary>
internal static class ClusterMembership
{
    public static async Task<IResult> GetAsync(IGrainFactory grains, ElectionCatalog catalog, Orleans.Runtime.ILocalSiloDetails local)
    {
        var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        var summary = await grains.GetGrain<IElectionGrain>(catalog.Election.Id).GetSummaryAsync();
        return Results.Json(new
        {
            thisSilo = local.SiloAddress.ToString(),
            activeSilos = hosts.Keys.Select(s => s.ToString()).Order().ToArray(),
            electionGrainSilo = summary.ActivationSilo,
        });
    }
}
