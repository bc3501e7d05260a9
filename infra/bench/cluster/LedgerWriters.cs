using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Grains.Ledger;

/// <summary>
/// The Redis chain alone, without HTTP or Orleans: appenders waiting on durable appends (appendfsync always) through one
/// writer for the chain (what the cluster does now: its writer grain) and through one writer per node racing for the
/// head (what every node did before: a node that lost the race rechains its batch and tries again).
/// </summary>
internal static class LedgerWriters
{
    public static async Task<double> MeasureAsync(string name, string redis, int writers, int appenders, int appends)
    {
        var options = new LedgerOptions { Store = "redis", RedisPrefix = $"bench-ledger-{Guid.NewGuid():N}" };
        var chains = Enumerable.Range(0, writers).Select(_ => new RedisLedgerChain(redis, options, NullLogger<RedisLedgerChain>.Instance)).ToList();
        var chainWriters = chains.Select(c => new RedisChainWriter(c, NullLogger.Instance)).ToList();
        try
        {
            // A protocol's entry: ~400 B payload and the signed body (~1.3 KB base64), as the intake appends them.
            var payload = "{\"p\":\"" + new string('x', 400) + "\"}";
            var request = new SignedRequest("k", 1_700_000_000, "POST", "/api/v1/stations/s/protocols", new string('a', 64), new string('s', 88), new string('b', 1300));
            await chainWriters[0].AppendAsync([new LedgerAppend(LedgerKinds.Protocol, "warm", payload, DateTimeOffset.UtcNow, request)]);
            var next = 0;
            var sw = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, appenders).Select(a => Task.Run(async () =>
            {
                while (Interlocked.Increment(ref next) <= appends)
                    await chainWriters[a % writers].AppendAsync([new LedgerAppend(LedgerKinds.Protocol, $"s{a}", payload, DateTimeOffset.UtcNow, request)]);
            })));
            var perSecond = appends / sw.Elapsed.TotalSeconds;
            var head = await chains[0].ReadHeadAsync();
            Console.WriteLine($"== {name}: {appends:N0} durable appends in {sw.Elapsed.TotalSeconds:0.0} s: {perSecond:N0}/s (chain head {head.Seq:N0})");
            return perSecond;
        }
        finally
        {
            foreach (var writer in chainWriters) await writer.DisposeAsync();
            foreach (var chain in chains) await chain.DisposeAsync();
        }
    }
}
