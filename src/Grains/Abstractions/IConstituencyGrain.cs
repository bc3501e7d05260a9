namespace Portal.Grains.Abstractions;

/// <summary>One constituency of one contest: its candidates, stations and outcome. Key: election/contest/constituency.</summary>
public interface IConstituencyGrain : IGrainWithStringKey
{
    Task<ConstituencyInfo> GetInfoAsync();
}
