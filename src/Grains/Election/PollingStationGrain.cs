using Portal.Grains.Abstractions;
using Portal.Grains.Model;

namespace Portal.Grains.Election;

public sealed class PollingStationGrain(ElectionCatalog catalog) : Grain, IPollingStationGrain
{
    private StationInfo? _info;

    public Task<StationInfo> GetInfoAsync()
    {
        if (_info is null)
        {
            var (electionId, stationId) = GrainKeys.ParseStation(this.GetPrimaryKeyString());
            var station = electionId == catalog.Election.Id ? catalog.FindStation(stationId) : null;
            if (station is null) throw new KeyNotFoundException($"unknown station \"{this.GetPrimaryKeyString()}\"");
            _info = new StationInfo(
                electionId, station.Id, station.Number, station.RegionId, station.Address, station.AddressForms ?? [],
                station.VotersOnList, station.Constituencies,
                [.. station.Cameras.Select(c => new CameraInfo(c.Id, c.Enabled))]);
        }
        return Task.FromResult(_info);
    }
}
