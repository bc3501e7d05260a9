using System.Net.Http.Json;
using Portal.Grains.Model;
using Portal.Ingest;
using Portal.Grains.Ledger;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Cluster;

/// <summary>Two real web nodes, both allowed to run the station simulator: one runs it, and when that node dies the other takes over.</summary>
public sealed class SimulatorFailoverTests : IAsyncLifetime
{
    private const string Runs = "runs on this node";
    private readonly string _dir = Directory.CreateTempSubdirectory("portal-simulator-").FullName;
    private RedisServer _redis = null!;
    private PortalProcess _a = null!, _b = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        var files = TestElectionFiles.Write(_dir, stations: 30, cameraStations: 0, seed: 41);
        var privateKeys = Path.Combine(_dir, "private-keys.csv");
        StationKeyFiles.WritePrivate(privateKeys, files.PrivateKeys);
        var clusterId = "simulator-" + Guid.NewGuid().ToString("N")[..8];
        string[] simulator = ["--Simulator:Enabled", "true", "--Simulator:PrivateKeysPath", privateKeys];
        _a = PortalProcess.Start(files.ClusterNode(_dir, "a", _redis.ConnectionString, clusterId, "web", simulator));
        _b = PortalProcess.Start(files.ClusterNode(_dir, "b", _redis.ConnectionString, clusterId, "web", simulator));
        await _a.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        await _b.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
    }

    public async ValueTask DisposeAsync()
    {
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task ExactlyOneNodeRunsTheSimulatorAndAnotherTakesOverWhenItDies()
    {
        var ct = TestContext.Current.CancellationToken;
        await Wait.UntilAsync(() => Task.FromResult(_a.Output.Contains(Runs) || _b.Output.Contains(Runs)), "a node to run the simulator", TimeSpan.FromSeconds(120));
        // Deliberate, not a wait for a condition: a window in which a second runner would have started (the other node tries
        // for the lease every second); nothing to wait for when none does.
        await Task.Delay(3000, ct);
        var runners = new[] { _a, _b }.Where(n => n.Output.Contains(Runs)).ToList();
        Assert.Single(runners);
        var (runner, other) = runners[0] == _a ? (_a, _b) : (_b, _a);

        // The simulator sends the day's turnout rounds so far through the station API: they reach the ledger.
        using var http = new HttpClient { BaseAddress = other.BaseAddress };
        await Wait.UntilAsync(async () => (await http.GetFromJsonAsync<LedgerPageDto>("/api/v1/ledger?after=0&limit=1", IngestJson.Options, ct))!.HeadSeq > 0,
            "the simulator's reports to reach the ledger", TimeSpan.FromSeconds(90));

        // The lease lasts 5 s; the deadline leaves a loaded machine room to notice and start.
        runner.KillProcessOnly();
        await Wait.UntilAsync(() => Task.FromResult(other.Output.Contains(Runs)), "the surviving node to take the simulator over", TimeSpan.FromSeconds(60),
            () => other.Output[^Math.Min(3000, other.Output.Length)..]);
    }
}
