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
        var election = Portal.Grains.Demo.DemoElectionGenerator.Generate(new() { Stations = 50, Seed = 3 });
        var electionPath = Path.Combine(_dir, "election.json");
        Portal.Grains.Model.ElectionDefinitionLoader.Save(election, electionPath);
        var keysPath = Path.Combine(_dir, "keys.csv");
        Portal.Grains.Model.StationKeyFiles.WritePublic(keysPath, Portal.Grains.Demo.DemoElectionGenerator.GenerateKeys(election.Stations).Public);
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
        JsonNode viaB = null!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            viaB = JsonNode.Parse(await httpB.GetStringAsync("/healthz/cluster"))!;
            if (viaB["activeSilos"]!.AsArray().Count == 2) break;
            await Task.Delay(500);
        }
        Assert.Equal(2, viaB["activeSilos"]!.AsArray().Count);
        Assert.Equal(activation, viaB["electionGrainSilo"]!.GetValue<string>());
        Assert.NotEqual(viaB["thisSilo"]!.GetValue<string>(), activation);
        viaA = JsonNode.Parse(await httpA.GetStringAsync("/healthz/cluster"))!;
        Assert.Equal(2, viaA["activeSilos"]!.AsArray().Count);

        var health = JsonNode.Parse(await httpB.GetStringAsync("/healthz"))!;
        Assert.StartsWith("redis ping", health["checks"]!["storage"]!["description"]!.GetValue<string>());
    }
}
