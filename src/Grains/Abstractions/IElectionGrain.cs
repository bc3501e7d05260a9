using Orleans.Concurrency;

namespace Portal.Grains.Abstractions;

/// <summary>The election as a whole: its contests, regions and national figures. Key: the election id.</summary>
public interface IElectionGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<ElectionSummary> GetSummaryAsync();

    /// <summary>National and regional turnout and (after close) results per contest.</summary>
    [ReadOnly]
    Task<ElectionResults> GetResultsAsync();

    /// <summary>Unfiltered national totals per contest (internal, e.g. for consistency checks).</summary>
    [ReadOnly]
    Task<IReadOnlyList<ContestResults>> GetContestTotalsAsync();

    Task ReportConstituencyAsync(ConstituencyTotals totals);

    Task ReportTurnoutAsync(StationTurnout turnout);
}
