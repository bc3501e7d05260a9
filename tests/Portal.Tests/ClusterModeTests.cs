using System.Text.Json.Nodes;
using Portal.Tests.Infrastructure;

namespace Portal.Tests;

/// <summary>Two real portal processes with a real redis-server form one Orleans cluster.</summary>
public sealed class ClusterModeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portal-cluster-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AGrainActivatedThroughOneSiloIsReachedThroughTheOther()
    {
        await using var redis = await RedisServer.StartAsync();
        var (_, electionPath, keysPath, _) = TestElectionFiles.Write(_dir, stations: 50, cameraStations: Portal.Grains.Demo.DemoElectionOptions.DefaultActiveCameraStations, seed: 3);
        var clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];

        string[] Node(string name) =>
        [
            "--election", electionPath, "--station-keys", keysPath, "--data-dir", Path.Combine(_dir, name),
            "--Cluster:Enabled", "true", "--Cluster:Redis", redis.ConnectionString, "--Cluster:ClusterId", clusterId,
            "--Cluster:SiloPort", TestPorts.Free().ToString(), "--Cluster:GatewayPort", TestPorts.Free().ToString(),
            // This test is about grains across silos: no camera processes (each node would run every demo camera).
            "--Gateway:Supervise", "false", "--Gateway:DataDir", Path.Combine(_dir, name, "video"),
        ];

        await using var a = PortalProcess.Start(Node("a"));
        await a.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var httpA = new HttpClient { BaseAddress = a.ManagementAddress };
        // The election grain is activated through node A...
        var viaA = JsonNode.Parse(await httpA.GetStringAsync("/healthz/cluster"))!;
        var activation = viaA["electionGrainSilo"]!.GetValue<string>();

        await using var b = PortalProcess.Start(Node("b"));
        await b.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var httpB = new HttpClient { BaseAddress = b.ManagementAddress };

        // ...and node B reaches that same activation, and both see two active silos.
        var (viaB, _) = await Wait.ProbeAsync(async () => JsonNode.Parse(await httpB.GetStringAsync("/healthz/cluster"))!,
            cluster => cluster["activeSilos"]!.AsArray().Count == 2, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
        Assert.Equal(2, viaB["activeSilos"]!.AsArray().Count);
        Assert.Equal(activation, viaB["electionGrainSilo"]!.GetValue<string>());
        Assert.NotEqual(viaB["thisSilo"]!.GetValue<string>(), activation);
        viaA = JsonNode.Parse(await httpA.GetStringAsync("/healthz/cluster"))!;
        Assert.Equal(2, viaA["activeSilos"]!.AsArray().Count);

        var health = JsonNode.Parse(await httpB.GetStringAsync("/healthz"))!;
        Assert.StartsWith("redis ping", health["checks"]!["storage"]!["description"]!.GetValue<string>());
    }
}
