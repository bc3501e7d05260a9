using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Grains.Extensions;
using Portal.Grains.Ledger;
using Portal.Grains.Model;

namespace Portal.Grains.Tests;

/// <summary>
/// The cluster ledger on a real redis-server (AOF, appendfsync always): the nodes of a real two-silo cluster append
/// through the chain's one writer grain while a second, stale writer appends beside it; the result is one unbroken chain
/// with every acknowledged entry in it once. And the fence itself: an append on a head that is not the chain's writes nothing.
/// </summary>
public sealed class RedisLedgerChainTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LedgerOptions Options() => new() { Store = "redis", MaxBatch = 32, RedisPrefix = "test-ledger-" + Guid.NewGuid().ToString("N")[..8] };

    private static RedisLedgerChain Chain(RedisServer redis, LedgerOptions options) =>
        new($"{redis.ConnectionString},abortConnect=false,connectTimeout=10000,syncTimeout=10000", options, NullLogger<RedisLedgerChain>.Instance);

    [Fact]
    public async Task TwoNodesAndAStaleSecondWriterAppendConcurrentlyIntoOneUnbrokenChain()
    {
        await using var redis = await RedisServer.StartAsync();
        var options = Options();
        var primary = TestPorts.Free();
        using var a = await StartSiloAsync(redis, options, primary, null);
        using var b = await StartSiloAsync(redis, options, TestPorts.Free(), primary);
        try
        {
            // A writer outside the cluster on the same chain plays a stale second activation of the writer grain.
            await using var staleChain = Chain(redis, options);
            await using var stale = new RedisChainWriter(staleChain, NullLogger.Instance);
            var storeA = a.Services.GetRequiredService<ILedgerStore>();
            var storeB = b.Services.GetRequiredService<ILedgerStore>();
            const int perNode = 150, staleBatches = 40, staleBatch = 3;
            var viaNodes = Enumerable.Range(0, 2 * perNode).Select(i => Task.Run(() => (i % 2 == 0 ? storeA : storeB).AppendAsync(LedgerStoreTests.Append(i), Ct), Ct));
            var viaStale = Enumerable.Range(0, staleBatches).Select(j => Task.Run(() =>
                stale.AppendAsync([.. Enumerable.Range(0, staleBatch).Select(k => LedgerStoreTests.Append(2 * perNode + j * staleBatch + k))]), Ct));
            var acknowledged = (await Task.WhenAll(viaNodes)).Concat((await Task.WhenAll(viaStale)).SelectMany(batch => batch)).ToList();
            const int total = 2 * perNode + staleBatches * staleBatch;

            var entries = await storeB.ReadAsync(0, 10_000, Ct);
            LedgerStoreTests.AssertChain(entries, total);
            Assert.All(acknowledged, e => Assert.Equal(e, entries[(int)e.Seq - 1]));
            // Each append is in the chain exactly once: none lost, none written twice.
            Assert.Equal(Enumerable.Range(0, total).Select(i => $"{{\"n\":{i}}}").Order(), entries.Select(e => e.Payload).Order());
            var head = await storeA.GetHeadAsync(Ct);
            Assert.Equal((total, entries[^1].Hash), (head.Seq, head.Hash));
            var s3 = await storeA.ReadStationsAsync(["s3"], Ct);
            Assert.Equal(entries.Where(e => e.StationId == "s3").Select(e => e.Seq), s3.Select(e => e.Seq));
        }
        finally
        {
            await b.StopAsync(CancellationToken.None);
            await a.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task AWriterWithAStaleHeadCannotAppendPastTheFence()
    {
        await using var redis = await RedisServer.StartAsync();
        var options = Options();
        await using var chain = Chain(redis, options);
        await using var first = new RedisChainWriter(chain, NullLogger.Instance);
        var written = await first.AppendAsync([LedgerStoreTests.Append(0), LedgerStoreTests.Append(1), LedgerStoreTests.Append(2)]);
        Assert.Equal([1L, 2L, 3L], written.Select(e => e.Seq));

        // A writer that still believes the head is entry 1, or has the right number with another hash, writes nothing.
        var staleHead = new LedgerHead(1, written[0].Hash);
        var refused = await chain.TryAppendAsync(staleHead, [LedgerEntry.Create(2, written[0].Hash, LedgerStoreTests.Append(10))]);
        Assert.Equal(new LedgerHead(3, written[2].Hash), refused);
        var forgedHead = new LedgerHead(3, written[1].Hash);
        Assert.Equal(new LedgerHead(3, written[2].Hash), await chain.TryAppendAsync(forgedHead, [LedgerEntry.Create(4, written[1].Hash, LedgerStoreTests.Append(11))]));
        Assert.Equal(written, await chain.ReadAsync(0, 100));
        Assert.Equal(new LedgerHead(3, written[2].Hash), await chain.ReadHeadAsync());

        // A second writer moves the head; the first, whose head is now stale, is fenced off and chains on the real head.
        await using var secondChain = Chain(redis, options);
        await using var second = new RedisChainWriter(secondChain, NullLogger.Instance);
        var fourth = Assert.Single(await second.AppendAsync([LedgerStoreTests.Append(3)]));
        var fifth = Assert.Single(await first.AppendAsync([LedgerStoreTests.Append(4)]));
        Assert.Equal((4L, written[2].Hash), (fourth.Seq, fourth.PrevHash));
        Assert.Equal((5L, fourth.Hash), (fifth.Seq, fifth.PrevHash));
        var entries = await chain.ReadAsync(0, 100);
        LedgerStoreTests.AssertChain(entries, 5);
        Assert.Equal([.. written, fourth, fifth], entries);
    }

    /// <summary>A co-hosted silo whose ledger is the Redis chain, clustered with the silo at <paramref name="primary"/> (itself when null).</summary>
    private static async Task<IHost> StartSiloAsync(RedisServer redis, LedgerOptions options, int siloPort, int? primary)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ledger:Store"] = "redis", ["Ledger:MaxBatch"] = $"{options.MaxBatch}", ["Ledger:RedisPrefix"] = options.RedisPrefix,
            [ElectionServicesExtensions.ClusterRedisKey] = $"{redis.ConnectionString},abortConnect=false,connectTimeout=10000,syncTimeout=10000",
        });
        builder.Services.AddSingleton(new ElectionCatalog(SiloFixture.Election(), []));
        builder.AddElectionLedger();
        builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort, TestPorts.Free(),
            primary is { } p ? new IPEndPoint(IPAddress.Loopback, p) : null));
        var host = builder.Build();
        await host.StartAsync(Ct);
        return host;
    }
}
