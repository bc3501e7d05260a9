using Portal.Grains.Abstractions;
using Portal.Grains.Model;

namespace Portal.Grains.Election;

public sealed class ElectionGrain(ElectionCatalog catalog) : Grain, IElectionGrain
{
    private ElectionSummary? _summary;

    public Task<ElectionSummary> GetSummaryAsync()
    {
        var election = catalog.Election;
        if (this.GetPrimaryKeyString() != election.Id) throw new KeyNotFoundException($"unknown election \"{this.GetPrimaryKeyString()}\"");
        _summary ??= new ElectionSummary(
            election.Id, election.Name, election.TimeZone, election.PollsOpen, election.PollsClose,
            [.. election.Contests.Select(c => new ContestSummary(c.Id, c.Kind, c.Name, c.Constituencies.Count))],
            [.. election.Regions.Select(r => new RegionSummary(
                r.Id, r.Name, catalog.StationCountByRegion.GetValueOrDefault(r.Id),
                catalog.Stations.Where(s => s.RegionId == r.Id).Sum(s => (long)s.VotersOnList)))],
            election.Stations.Count,
            election.Stations.Sum(s => (long)s.VotersOnList),
            RuntimeIdentity);
        return Task.FromResult(_summary);
    }
}
