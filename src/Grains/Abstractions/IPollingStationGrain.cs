namespace Portal.Grains.Abstractions;

/// <summary>One polling station: list size, turnout, protocols, cameras. Key: election/station.</summary>
public interface IPollingStationGrain : IGrainWithStringKey
{
    Task<StationInfo> GetInfoAsync();
}
