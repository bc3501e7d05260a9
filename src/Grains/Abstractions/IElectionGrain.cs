namespace Portal.Grains.Abstractions;

/// <summary>The election as a whole: its contests, regions and national figures. Key: the election id.</summary>
public interface IElectionGrain : IGrainWithStringKey
{
    Task<ElectionSummary> GetSummaryAsync();
}
