using Orleans.Concurrency;
using Portal.Grains.Ledger;
using Portal.Grains.Results;

namespace Portal.Grains.Abstractions;

/// <summary>One polling station: list size, turnout, protocols, cameras. Key: election/station.</summary>
public interface IPollingStationGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<StationInfo> GetInfoAsync();

    /// <summary>Turnout timeline, protocol versions with their ledger hashes, invalidations (figures embargoed before close).</summary>
    [ReadOnly]
    Task<StationDetails> GetDetailsAsync();

    /// <summary>Appends a signed turnout report to the ledger (durably) and applies it.</summary>
    Task<SubmissionResult> SubmitTurnoutAsync(TurnoutSubmission submission, SignedRequest request, DateTimeOffset receivedAt);

    /// <summary>Checks versions and idempotency, appends a signed protocol to the ledger (durably) and applies it.</summary>
    Task<SubmissionResult> SubmitProtocolAsync(ProtocolSubmission submission, SignedRequest request, DateTimeOffset receivedAt);

    /// <summary>A commission decision invalidating (or reinstating) this station's result in a contest: a ledger entry, then excluded from totals and marked.</summary>
    Task<SubmissionReceipt> InvalidateAsync(StationInvalidation invalidation);
}
