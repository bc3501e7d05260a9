namespace Portal.Grains.Model;

/// <summary>
/// The loaded election definition with its lookups. Every silo loads the same file at start, so grains
/// read their static part from here instead of carrying it in state.
/// </summary>
public sealed class ElectionCatalog
{
    private readonly Dictionary<string, StationDefinition> _stations;
    private readonly Dictionary<(string Contest, string Constituency), ConstituencyDefinition> _constituencies;
    private readonly Dictionary<(string Contest, string Constituency), List<string>> _stationsByConstituency;
    private readonly Dictionary<string, (CameraDefinition Camera, StationDefinition Station)> _cameras;

    public ElectionCatalog(ElectionDefinition election, IReadOnlyList<StationPublicKey> keys)
    {
        Election = election;
        Keys = keys;
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById(election.TimeZone);
        _stations = election.Stations.ToDictionary(s => s.Id, StringComparer.Ordinal);
        _constituencies = election.Contests
            .SelectMany(c => c.Constituencies.Select(k => (Key: (c.Id, k.Id), k)))
            .ToDictionary(x => x.Key, x => x.k);
        _stationsByConstituency = [];
        foreach (var station in election.Stations)
            foreach (var (contest, constituency) in station.Constituencies)
            {
                if (!_stationsByConstituency.TryGetValue((contest, constituency), out var list))
                    _stationsByConstituency[(contest, constituency)] = list = [];
                list.Add(station.Id);
            }
        _cameras = election.Stations.SelectMany(s => s.Cameras.Select(c => (c, s))).ToDictionary(x => x.c.Id, x => x, StringComparer.Ordinal);
        StationCountByRegion = election.Stations.GroupBy(s => s.RegionId).ToDictionary(g => g.Key, g => g.Count());
    }

    public ElectionDefinition Election { get; }
    public IReadOnlyList<StationPublicKey> Keys { get; }
    public TimeZoneInfo TimeZone { get; }
    public IReadOnlyDictionary<string, int> StationCountByRegion { get; }
    public IReadOnlyCollection<StationDefinition> Stations => _stations.Values;
    public IEnumerable<CameraDefinition> Cameras => _cameras.Values.Select(v => v.Camera);

    public StationDefinition? FindStation(string stationId) => _stations.GetValueOrDefault(stationId);

    public ConstituencyDefinition? FindConstituency(string contestId, string constituencyId) =>
        _constituencies.GetValueOrDefault((contestId, constituencyId));

    public IReadOnlyList<string> StationsOf(string contestId, string constituencyId) =>
        _stationsByConstituency.TryGetValue((contestId, constituencyId), out var list) ? list : [];

    public (CameraDefinition Camera, StationDefinition Station)? FindCamera(string cameraId) =>
        _cameras.TryGetValue(cameraId, out var found) ? found : null;

    public ContestDefinition? FindContest(string contestId) => Election.Contests.FirstOrDefault(c => c.Id == contestId);
}
