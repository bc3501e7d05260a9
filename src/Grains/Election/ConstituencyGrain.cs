using Portal.Grains.Abstractions;
using Portal.Grains.Model;

namespace Portal.Grains.Election;

public sealed class ConstituencyGrain(ElectionCatalog catalog) : Grain, IConstituencyGrain
{
    private ConstituencyInfo? _info;

    public Task<ConstituencyInfo> GetInfoAsync()
    {
        if (_info is null)
        {
            var (electionId, contestId, constituencyId) = GrainKeys.ParseConstituency(this.GetPrimaryKeyString());
            var definition = electionId == catalog.Election.Id ? catalog.FindConstituency(contestId, constituencyId) : null;
            if (definition is null) throw new KeyNotFoundException($"unknown constituency \"{this.GetPrimaryKeyString()}\"");
            var stations = catalog.StationsOf(contestId, constituencyId);
            _info = new ConstituencyInfo(
                electionId, contestId, constituencyId, definition.RegionId, definition.Name,
                [.. definition.Candidates.Select(c => new CandidateInfo(c.Id, c.Name, c.NameForms ?? [], c.Party))],
                stations,
                stations.Sum(id => (long)catalog.FindStation(id)!.VotersOnList));
        }
        return Task.FromResult(_info);
    }
}
