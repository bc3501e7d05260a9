using Portal.Grains.Ledger;

namespace Portal.Grains.Abstractions;

/// <summary>The one writer of a Redis ledger chain for the whole cluster. Key: the chain's name (Ledger:RedisPrefix).</summary>
public interface ILedgerWriterGrain : IGrainWithStringKey
{
    /// <summary>
    /// Where <paramref name="appends"/> landed, consecutive and in order, once they are durable in Redis. Only the
    /// sequence and hashes come back (the caller has the rest): the entries themselves, each with its signed body, would
    /// cross the silos a second time.
    /// </summary>
    Task<LedgerStamps> AppendAsync(LedgerAppend[] appends);
}
