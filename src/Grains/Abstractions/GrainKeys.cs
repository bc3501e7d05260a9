namespace Portal.Grains.Abstractions;

/// <summary>How grain keys are composed (architecture: election/contest/constituency, election/station).</summary>
public static class GrainKeys
{
    public static string Constituency(string electionId, string contestId, string constituencyId) => $"{electionId}/{contestId}/{constituencyId}";
    public static string Station(string electionId, string stationId) => $"{electionId}/{stationId}";

    public static (string ElectionId, string ContestId, string ConstituencyId) ParseConstituency(string key)
    {
        var parts = key.Split('/', 3);
        return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : throw new ArgumentException($"not a constituency key: {key}", nameof(key));
    }

    public static (string ElectionId, string StationId) ParseStation(string key)
    {
        var parts = key.Split('/', 2);
        return parts.Length == 2 ? (parts[0], parts[1]) : throw new ArgumentException($"not a station key: {key}", nameof(key));
    }
}
