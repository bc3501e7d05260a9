using Portal.Grains.Ledger;

namespace Portal.Grains.Abstractions;

/// <summary>The one writer of a Redis ledger chain for the whole cluster. Key: the chain's name (Ledger:RedisPrefix).</summary>
public interface ILedgerWriterGrain : IGrainWithStringKey
{
    /// <summary>The entries of <paramref name="appends"/>, consecutive and in order, once they are durable in Redis.</summary>
    Task<LedgerEntry[]> AppendAsync(LedgerAppend[] appends);
}
