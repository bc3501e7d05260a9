using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Portal.Grains.Abstractions;

namespace Portal.Grains.Ledger;

/// <summary>
/// The cluster ledger in Redis (<see cref="RedisLedgerChain"/>; durable with appendfsync always, docs/ledger.md).
/// Reads go to Redis directly. Appends are gathered per node (group commit) and handed, a batch per call, to the
/// chain's one writer in the cluster (<see cref="ILedgerWriterGrain"/>), which appends the batches of every node in
/// one fenced script: one chain, and no node racing another for its head.
/// </summary>
public sealed partial class RedisLedgerStore : ILedgerStore, IAsyncDisposable
{
    private readonly RedisLedgerChain _chain;
    private readonly IGrainFactory _grains;
    private readonly ILogger<RedisLedgerStore> _logger;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _forwardLoop;

    public RedisLedgerStore(RedisLedgerChain chain, IGrainFactory grains, ILogger<RedisLedgerStore> logger)
    {
        _chain = chain;
        _grains = grains;
        _logger = logger;
        _maxBatch = chain.Options.GroupCommit ? Math.Max(1, chain.Options.MaxBatch) : 1;
        _forwardLoop = new(() => Task.Run(ForwardLoopAsync));
    }

    public async Task<LedgerEntry> AppendAsync(LedgerAppend append, CancellationToken cancellationToken = default)
    {
        _ = _forwardLoop.Value;
        var pending = new Pending(append, new TaskCompletionSource<LedgerEntry>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(RedisLedgerStore));
        return await pending.Completion.Task;
    }

    public Task<LedgerHead> GetHeadAsync(CancellationToken cancellationToken = default) => _chain.ReadHeadAsync();

    public Task<IReadOnlyList<LedgerEntry>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        _chain.ReadAsync(afterSeq, limit);

    public Task<IReadOnlyList<LedgerEntry>> ReadStationsAsync(IReadOnlyCollection<string> stationIds, CancellationToken cancellationToken = default) =>
        _chain.ReadStationsAsync(stationIds);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        // The chain (the connection) belongs to the container: the silo's writer grain uses it until the silo stops.
        if (_forwardLoop.IsValueCreated) await _forwardLoop.Value;
    }

    private async Task ForwardLoopAsync()
    {
        var batch = new List<Pending>();
        var reader = _queue.Reader;
        var writer = GrainReferences.Get<ILedgerWriterGrain>(_grains, _chain.Name);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryRead(out var item)) batch.Add(item);
            if (batch.Count == 0) continue;
            try
            {
                LedgerAppend[] appends = [.. batch.Select(p => p.Append)];
                var entries = (await writer.AppendAsync(appends)).Entries(appends);
                for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(entries[i]);
            }
            catch (Exception e)
            {
                // Not confirmed by the writer (it failed, or its node died with the reply): no 2xx for any of them.
                LogBatchFailed(e, batch.Count);
                foreach (var pending in batch) pending.Completion.TrySetException(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Ledger batch of {Count} entries was not confirmed by the chain's writer; none acknowledged")]
    private partial void LogBatchFailed(Exception exception, int count);

    private sealed record Pending(LedgerAppend Append, TaskCompletionSource<LedgerEntry> Completion);
}
