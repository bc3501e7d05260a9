namespace Portal.Grains.Abstractions;

/// <summary>
/// The statistics for observers of one election (api.md section 6 "Statistics for observers"), following the ledger and the camera feed. Key: the
/// election id. Reports are cached and recomputed at most once a second, so a page view never walks every station.
/// </summary>
public interface IForensicsGrain : IGrainWithStringKey
{
    /// <summary>One contest, nationally or in a region or a constituency (null for all); embargoed figures null before close.</summary>
    Task<ForensicsReport> GetReportAsync(string contestId, string? regionId, string? constituencyId);

    /// <summary>Every station of the contest with its figures and codes (forensics.csv).</summary>
    Task<IReadOnlyList<ForensicsStationRow>> GetStationRowsAsync(string contestId);

    /// <summary>Reads what the ledger has appended since the last look (tests and benchmarks call it to be current at once).</summary>
    Task<long> CatchUpAsync();
}
