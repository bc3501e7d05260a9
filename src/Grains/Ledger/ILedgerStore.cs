namespace Portal.Grains.Ledger;

/// <summary>
/// The append-only, hash-chained ledger. <see cref="AppendAsync"/> completes only when the entry is durable
/// (fsynced / acknowledged by an fsyncing Redis), so a 2xx sent after it survives a crash.
/// </summary>
public interface ILedgerStore
{
    Task<LedgerEntry> AppendAsync(LedgerAppend append, CancellationToken cancellationToken = default);

    Task<LedgerHead> GetHeadAsync(CancellationToken cancellationToken = default);

    /// <summary>Entries with Seq &gt; <paramref name="afterSeq"/> in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<LedgerEntry>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>Every entry of the given stations, in sequence order (grains rebuild their state from these).</summary>
    Task<IReadOnlyList<LedgerEntry>> ReadStationsAsync(IReadOnlyCollection<string> stationIds, CancellationToken cancellationToken = default);
}
