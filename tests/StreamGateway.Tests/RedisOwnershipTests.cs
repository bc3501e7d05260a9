using Microsoft.Extensions.Logging.Abstractions;
using Portal.StreamGateway.Placement;
using Portal.StreamGateway.Tests.Infrastructure;
using StackExchange.Redis;

namespace Portal.StreamGateway.Tests;

public sealed class RedisOwnershipTests
{
    private static readonly string[] Cameras = [.. Enumerable.Range(1, 10).Select(i => $"cam-{i:00}")];

    [Fact]
    public async Task EachCameraHasExactlyOneOwnerAndADeadNodesCamerasAreTakenOverWithinSeconds()
    {
        await using var redisServer = await RedisServer.StartAsync();
        var redis = await ConnectionMultiplexer.ConnectAsync($"{redisServer.ConnectionString},abortConnect=false");
        var prefix = $"test:{Guid.NewGuid():N}:";
        var ttl = TimeSpan.FromSeconds(2);
        var a = new RedisCameraOwnership(redis, "node-a", prefix, ttl, NullLogger<RedisCameraOwnership>.Instance);
        var b = new RedisCameraOwnership(redis, "node-b", prefix, ttl, NullLogger<RedisCameraOwnership>.Instance);

        IReadOnlySet<string> ownedA = new HashSet<string>(), ownedB = new HashSet<string>();
        // Each probe is one refresh of both nodes, at about the pace of the gateway's own refresh.
        await Wait.UntilAsync(async () =>
        {
            ownedA = await a.RefreshAsync(Cameras, CancellationToken.None);
            ownedB = await b.RefreshAsync(Cameras, CancellationToken.None);
            Assert.Empty(ownedA.Intersect(ownedB));
            return ownedA.Count == 5 && ownedB.Count == 5 && ownedA.Union(ownedB).Count() == 10;
        }, "the cameras to spread over both nodes", TimeSpan.FromSeconds(20), () => $"a={ownedA.Count} b={ownedB.Count}", TimeSpan.FromMilliseconds(300));

        // node-b dies: it stops renewing. node-a must own everything within the lease time plus a refresh or two (a
        // lease that never expired would never let it: 20 s leaves a loaded machine room).
        var died = DateTime.UtcNow;
        await Wait.UntilAsync(async () => (ownedA = await a.RefreshAsync(Cameras, CancellationToken.None)).Count == 10,
            "node-a to own every camera after node-b died", TimeSpan.FromSeconds(20), () => $"node-a owns only {ownedA.Count} cameras {DateTime.UtcNow - died} after node-b died",
            TimeSpan.FromMilliseconds(500));
        var takeover = DateTime.UtcNow - died;
        Assert.True(takeover >= ttl * 0.5, $"took over after {takeover}: before the dead node's lease could expire");
        foreach (var id in Cameras) Assert.Equal("node-a", (string?)await redis.GetDatabase().StringGetAsync(prefix + "camera:" + id));

        // node-b comes back: cameras move back gradually until both hold their share again, never two owners.
        ownedB = new HashSet<string>();
        await Wait.UntilAsync(async () =>
        {
            ownedB = await b.RefreshAsync(Cameras, CancellationToken.None);
            ownedA = await a.RefreshAsync(Cameras, CancellationToken.None);
            Assert.Empty(ownedA.Intersect(ownedB));
            return ownedA.Count == 5 && ownedB.Count == 5;
        }, "the cameras to rebalance", TimeSpan.FromSeconds(30), () => $"a={ownedA.Count} b={ownedB.Count}", TimeSpan.FromMilliseconds(200));

        // A clean stop hands cameras over at once.
        await a.ReleaseAllAsync(CancellationToken.None);
        ownedB = await b.RefreshAsync(Cameras, CancellationToken.None);
        ownedB = await b.RefreshAsync(Cameras, CancellationToken.None);
        Assert.Equal(10, ownedB.Count);
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task EmbeddedModeOwnsEveryCamera()
    {
        var owned = await new EmbeddedCameraOwnership().RefreshAsync(Cameras, CancellationToken.None);
        Assert.Equal(Cameras.ToHashSet(), owned.ToHashSet());
    }
}
