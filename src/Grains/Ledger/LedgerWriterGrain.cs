using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Portal.Grains.Abstractions;

namespace Portal.Grains.Ledger;

/// <summary>
/// One writer per chain for the cluster, so nodes no longer race for the chain head (each lost race was a wasted round
/// trip and hash pass): every node's batches come here and leave together in one fenced Redis script. Reentrant, so
/// calls arriving while a script is in flight join the next one. Orleans keeps one activation per key; should a second
/// one exist for a moment (a silo declared dead that was not), the fence in <see cref="RedisLedgerChain"/> keeps the
/// chain whole.
/// </summary>
[Reentrant]
public sealed class LedgerWriterGrain(RedisLedgerChain chain, ILogger<LedgerWriterGrain> logger) : Grain, ILedgerWriterGrain
{
    private RedisChainWriter? _writer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (this.GetPrimaryKeyString() != chain.Name)
            throw new InvalidOperationException($"this node writes the ledger chain \"{chain.Name}\", not \"{this.GetPrimaryKeyString()}\"");
        _writer = new RedisChainWriter(chain, logger);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_writer is not null) await _writer.DisposeAsync();
    }

    public async Task<LedgerStamps> AppendAsync(LedgerAppend[] appends) => LedgerStamps.Of(await _writer!.AppendAsync(appends));
}
