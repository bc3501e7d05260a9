using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Portal.Grains.Ledger;

/// <summary>
/// Appends to the Redis chain for everyone who hands it appends: everything waiting goes out in one fenced script
/// (group commit across the whole cluster when one writer serves it: <see cref="LedgerWriterGrain"/>). Sequence numbers
/// and hashes are assigned here, on the head this writer last wrote or read. A second writer on the same chain (a
/// stale or duplicate activation) is stopped by the fence: its script appends nothing, it takes the real head and
/// chains its batch on that, so the chain never forks and nothing is acknowledged that was not written.
/// </summary>
public sealed partial class RedisChainWriter : IAsyncDisposable
{
    private const int MaxFenceRetries = 1000;
    private static readonly Meter Meter = new("Portal.Ledger");
    private static readonly Histogram<int> BatchEntries = Meter.CreateHistogram<int>("portal_ledger_redis_batch_entries",
        description: "Entries per fenced Redis append (one round trip and one fsync each)");
    private static readonly Counter<long> FenceRejections = Meter.CreateCounter<long>("portal_ledger_redis_fence_rejections",
        description: "Redis appends refused because another writer had moved the chain head (a second writer was active)");

    private readonly RedisLedgerChain _chain;
    private readonly ILogger _logger;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private LedgerHead? _head;

    public RedisChainWriter(RedisLedgerChain chain, ILogger logger)
    {
        _chain = chain;
        _logger = logger;
        _maxBatch = chain.Options.GroupCommit ? Math.Max(1, chain.Options.MaxBatch) : 1;
        // Its own task, not the caller's scheduler: the loop outlives any one call and hashes whole batches.
        _loop = Task.Run(WriteLoopAsync);
    }

    /// <summary>The entries of <paramref name="appends"/>, in order and consecutive, once Redis confirmed them (durable).</summary>
    public async Task<LedgerEntry[]> AppendAsync(IReadOnlyList<LedgerAppend> appends)
    {
        if (appends.Count == 0) return [];
        var pending = new Pending(appends, new TaskCompletionSource<LedgerEntry[]>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(RedisChainWriter));
        return await pending.Completion.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            var count = 0;
            // Whole caller batches, so each caller's entries stay consecutive; at least one even if it is larger.
            while (count < _maxBatch && reader.TryPeek(out var next) && (count == 0 || count + next.Appends.Count <= _maxBatch) && reader.TryRead(out var item))
            {
                batch.Add(item);
                count += item.Appends.Count;
            }
            if (batch.Count == 0) continue;
            LedgerEntry[]? entries = null;
            try
            {
                _head ??= await _chain.ReadHeadAsync();
                for (var attempt = 0; ; attempt++)
                {
                    entries = Chain(_head, batch, count);
                    var actual = await _chain.TryAppendAsync(_head, entries);
                    if (actual is null) break;
                    FenceRejections.Add(1);
                    LogFenced(_head.Seq, actual.Seq);
                    _head = actual;
                    if (attempt >= MaxFenceRetries) throw new InvalidOperationException($"ledger append fenced off {MaxFenceRetries} times: another writer keeps appending");
                }
                Complete(batch, entries);
            }
            catch (Exception e)
            {
                // The script may have run before the error (a lost reply): the chain's head says whether it did, since
                // the head's hash covers this batch's last entry. Unknown stays unacknowledged; no 2xx without Redis' word.
                var appended = false;
                try
                {
                    _head = await _chain.ReadHeadAsync();
                    appended = entries is { Length: > 0 } && _head.Seq == entries[^1].Seq && _head.Hash == entries[^1].Hash;
                }
                catch (Exception readFailed)
                {
                    LogHeadUnreadable(readFailed);
                    _head = null;
                }
                if (appended) Complete(batch, entries!);
                else
                {
                    LogBatchFailed(e, count);
                    foreach (var pending in batch) pending.Completion.TrySetException(e);
                }
            }
        }
    }

    private void Complete(List<Pending> batch, LedgerEntry[] entries)
    {
        BatchEntries.Record(entries.Length);
        _head = new LedgerHead(entries[^1].Seq, entries[^1].Hash);
        var offset = 0;
        foreach (var pending in batch)
        {
            pending.Completion.TrySetResult(entries[offset..(offset + pending.Appends.Count)]);
            offset += pending.Appends.Count;
        }
    }

    private static LedgerEntry[] Chain(LedgerHead head, List<Pending> batch, int count)
    {
        var entries = new LedgerEntry[count];
        var i = 0;
        foreach (var pending in batch)
            foreach (var append in pending.Appends)
            {
                entries[i] = LedgerEntry.Create(head.Seq + 1, head.Hash, append);
                head = new LedgerHead(entries[i].Seq, entries[i].Hash);
                i++;
            }
        return entries;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger append at head {ExpectedSeq} fenced off: the chain is at {ActualSeq} (another writer appended); rechaining the batch on it")]
    private partial void LogFenced(long expectedSeq, long actualSeq);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ledger batch of {Count} entries failed; none acknowledged")]
    private partial void LogBatchFailed(Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the ledger head after a failed append; reading it again before the next batch")]
    private partial void LogHeadUnreadable(Exception exception);

    private sealed record Pending(IReadOnlyList<LedgerAppend> Appends, TaskCompletionSource<LedgerEntry[]> Completion);
}
