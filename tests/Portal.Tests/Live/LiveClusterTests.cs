using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Ingest.Simulation;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Live;

/// <summary>Cluster mode: two portal processes on Redis membership, each sending the feed to its own viewers.</summary>
public sealed class LiveClusterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portal-live-cluster-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task ViewersOnBothNodesGetATurnoutReportExactlyOnce()
    {
        await using var redis = await RedisServer.StartAsync();
        var (election, electionPath, keysPath, privateKeys) = TestElectionFiles.Write(_dir, stations: 30, cameraStations: 0, seed: 5);
        var clusterId = "live-" + Guid.NewGuid().ToString("N")[..8];

        string[] Node(string name) =>
        [
            "--election", electionPath, "--station-keys", keysPath, "--data-dir", Path.Combine(_dir, name),
            "--Cluster:Enabled", "true", "--Cluster:Redis", redis.ConnectionString, "--Cluster:ClusterId", clusterId,
            "--Cluster:SiloPort", TestPorts.Free().ToString(), "--Cluster:GatewayPort", TestPorts.Free().ToString(),
            "--Gateway:Supervise", "false", "--Gateway:DataDir", Path.Combine(_dir, name, "video"),
            // Hosts register their observers every RegisterSeconds.
            "--LiveFeed:RegisterSeconds", "2",
        ];
        await using var a = PortalProcess.Start(Node("a"));
        await using var b = PortalProcess.Start(Node("b"));
        await a.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        await b.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));

        var station = election.Stations[3];
        var topic = $"station:{election.Id}:{station.Id}";
        // Each host receives the report from the grains and sends it to its own viewer.
        var received = new Dictionary<string, List<JsonElement>> { ["a"] = [], ["b"] = [] };
        var viewers = new List<HubConnection>();
        foreach (var (name, node) in new[] { ("a", a), ("b", b) })
        {
            var viewer = new HubConnectionBuilder()
                .WithUrl(new Uri(node.BaseAddress, "/hubs/live"), o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; })
                .Build();
            var list = received[name];
            viewer.On<JsonElement>("turnout", e => { lock (list) list.Add(e); });
            await viewer.StartAsync();
            await viewer.InvokeAsync("Subscribe", topic);
            viewers.Add(viewer);
        }
        using var http = new HttpClient { BaseAddress = a.BaseAddress };
        var stations = new StationClient(http, StationClient.Index(privateKeys));
        int Turnouts(string node)
        {
            var list = received[node];
            lock (list) return list.Count(e => e.GetProperty("state").GetProperty("turnout").GetProperty("votersIssuedBallots").GetInt32() > 0);
        }
        // Both hosts' observers registered with the feed (a loaded machine may take a while): earlier, smaller reports
        // until each viewer has had one; the marker below is counted alone.
        var probe = 100;
        await Wait.UntilAsync(async () =>
        {
            if (Turnouts("a") > 0 && Turnouts("b") > 0) return true;
            if (probe < 300)
            {
                using var sent = await stations.PostTurnoutAsync(station.Id, new { submissionId = Guid.NewGuid().ToString(), asOf = DateTimeOffset.UtcNow, votersIssuedBallots = ++probe });
                Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());
            }
            return false;
        }, "both nodes' viewers to get a turnout report", TimeSpan.FromSeconds(120), () => $"A:\n{Tail(a.Output)}\nB:\n{Tail(b.Output)}", TimeSpan.FromMilliseconds(500));

        var response = await stations.PostTurnoutAsync(station.Id, new { submissionId = Guid.NewGuid().ToString(), asOf = DateTimeOffset.UtcNow, votersIssuedBallots = 321 });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        int Copies(string node)
        {
            var list = received[node];
            lock (list) return list.Count(e => e.GetProperty("state").GetProperty("turnout").GetProperty("votersIssuedBallots").GetInt32() == 321);
        }
        await Wait.UntilAsync(() => Copies("a") > 0 && Copies("b") > 0, $"viewers on both nodes to get the turnout for {station.Id}", TimeSpan.FromSeconds(20),
            () => $"viewers got {Copies("a")} (node A) and {Copies("b")} (node B) copies\nA:\n{Tail(a.Output)}\nB:\n{Tail(b.Output)}");
        // Every host receives every message from the grains once and sends it to its own viewers only. Deliberate: a
        // window in which a second copy would arrive (nothing to wait for when none does).
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal((1, 1), (Copies("a"), Copies("b")));
        foreach (var viewer in viewers) await viewer.DisposeAsync();
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : text[^3000..];
}
