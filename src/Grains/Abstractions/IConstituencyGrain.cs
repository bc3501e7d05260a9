using Orleans.Concurrency;

namespace Portal.Grains.Abstractions;

/// <summary>One constituency of one contest: its candidates, stations and outcome. Key: election/contest/constituency.</summary>
public interface IConstituencyGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<ConstituencyInfo> GetInfoAsync();

    /// <summary>Public results: totals, outcome and station rows; figures null while embargoed.</summary>
    [ReadOnly]
    Task<ConstituencyResults> GetResultsAsync();

    /// <summary>Unfiltered totals for aggregation (internal; never for a public surface).</summary>
    [AlwaysInterleave]
    Task<ConstituencyTotals> GetTotalsAsync();

    /// <summary>A station's latest state; applied only if newer (by ledger sequence) than what is held, so repeats and reordering are harmless.</summary>
    Task ApplyStationResultAsync(StationResult result);
}
