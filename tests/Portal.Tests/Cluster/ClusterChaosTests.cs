using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Ingest;
using Portal.Grains.Ledger;
using Portal.Ingest.Simulation;
using Portal.Ingest.Verification;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Cluster;

/// <summary>
/// Two real web nodes on one real redis-server behind the real nginx edge, under a flood of signed turnout reports sent
/// to both nodes: a node killed by SIGKILL, or Redis crashed and restarted, loses no acknowledged report, the chain
/// still verifies, the published figures are the ledger's, and the killed node's hub viewers come back on the other.
/// </summary>
public sealed class ClusterChaosTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portal-chaos-").FullName;
    private RedisServer _redis = null!;
    private TestElectionFiles _files = null!;
    private PortalProcess _a = null!, _b = null!;
    private NginxEdge _edge = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _files = TestElectionFiles.Write(_dir, stations: 60, cameraStations: 0, seed: 31);
        var clusterId = "chaos-" + Guid.NewGuid().ToString("N")[..8];
        _a = PortalProcess.Start(_files.ClusterNode(_dir, "a", _redis.ConnectionString, clusterId, "web", "--PublicWeb:TrustedProxies", "127.0.0.1"));
        _b = PortalProcess.Start(_files.ClusterNode(_dir, "b", _redis.ConnectionString, clusterId, "web", "--PublicWeb:TrustedProxies", "127.0.0.1"));
        await _a.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        await _b.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        _edge = await NginxEdge.StartAsync(Path.Combine(_dir, "nginx"), [_a.BaseAddress, _b.BaseAddress], [_a.BaseAddress, _b.BaseAddress]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_edge is not null) await _edge.DisposeAsync();
        if (_a is not null) await _a.DisposeAsync();
        if (_b is not null) await _b.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private const int ChaosAfterAcknowledged = 40;

    private sealed record Acknowledged(string StationId, int Voters, long Seq, string Hash);

    /// <summary>
    /// Each worker owns a few stations and reports rising turnout for them in turn, to node A and node B alternately;
    /// the chaos starts once <see cref="ChaosAfterAcknowledged"/> reports are acknowledged (not after a fixed time: a
    /// loaded machine may take long to acknowledge the first), and the flood goes on for <paramref name="afterChaos"/>
    /// after it. What was acknowledged (201) is returned. Failures while a node or Redis is down are expected.
    /// </summary>
    private async Task<(List<Acknowledged> Acked, int Failed)> FloodAsync(Func<Task> chaos, TimeSpan afterChaos, CancellationToken ct)
    {
        var acked = new ConcurrentBag<Acknowledged>();
        var failed = 0;
        var keys = StationClient.Index(_files.PrivateKeys);
        using var toA = new HttpClient { BaseAddress = _a.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        using var toB = new HttpClient { BaseAddress = _b.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var clients = new[] { new StationClient(toA, keys), new StationClient(toB, keys) };
        var stations = _files.Election.Stations.Select(s => s.Id).ToList();
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            var mine = stations.Where((_, i) => i % 6 == w).ToList();
            var voters = mine.ToDictionary(s => s, _ => 0);
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var station = mine[n % mine.Count];
                var next = voters[station] + 1;
                try
                {
                    using var response = await clients[n % 2].PostTurnoutAsync(station,
                        new { submissionId = Guid.NewGuid().ToString(), asOf = DateTimeOffset.UtcNow, votersIssuedBallots = next }, ct);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        var receipt = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
                        acked.Add(new Acknowledged(station, next, receipt.GetProperty("ledgerSeq").GetInt64(), receipt.GetProperty("entryHash").GetString()!));
                    }
                    else Interlocked.Increment(ref failed);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failed);
                }
                // A refused or lost report may still have been stored: never go back below it.
                voters[station] = next;
            }
        }, ct)).ToList();
        try
        {
            await Wait.UntilAsync(() => Task.FromResult(acked.Count >= ChaosAfterAcknowledged || workers.Any(w => w.IsCompleted)),
                $"{ChaosAfterAcknowledged} acknowledged reports before the chaos", TimeSpan.FromSeconds(90), () => $"{acked.Count} acknowledged, {failed} failed");
            await chaos();
            stop.CancelAfter(afterChaos);
        }
        catch
        {
            await stop.CancelAsync(); // the workers end before the failure is reported
            throw;
        }
        finally
        {
            await Task.WhenAll(workers);
        }
        return ([.. acked], failed);
    }

    /// <summary>Every acknowledged entry is in the chain with its hash, the chain verifies, and each station's published turnout is its newest ledger entry.</summary>
    private async Task AssertNothingAcknowledgedIsLostAsync(HttpClient survivor, IReadOnlyCollection<Acknowledged> acked, CancellationToken ct)
    {
        var entries = await ReadLedgerAsync(survivor, [], ct);
        var afterFlood = entries.Count;
        var bySeq = entries.ToDictionary(e => e.Seq);
        foreach (var a in acked)
        {
            Assert.True(bySeq.TryGetValue(a.Seq, out var entry), $"acknowledged entry {a.Seq} ({a.StationId}) is missing");
            Assert.Equal(a.Hash, entry.Hash);
        }
        var verification = await new LedgerVerifier(survivor).VerifyAsync(ct);
        Assert.True(verification.Ok, verification.ToString());

        // A report whose client gave up (its 10 s timeout) may still be in the survivor's hands: its append waits for the
        // killed node's ledger writer until Orleans declares that node dead, then lands. So the ledger can still grow after
        // the flood, and published figures are compared with the ledger as read at the same time, until both agree (a real
        // lag, published behind an entry already in the ledger, never agrees).
        foreach (var station in acked.Select(a => a.StationId).Distinct().Take(12))
        {
            var ((published, newest), _) = await Wait.ProbeAsync(async () =>
            {
                var details = await GetAsync<JsonElement>(survivor, $"/api/v1/elections/{_files.Election.Id}/stations/{station}", ct);
                var shown = details.GetProperty("turnout").GetProperty("votersIssuedBallots").GetInt32();
                entries = await ReadLedgerAsync(survivor, entries, ct);
                var inLedger = entries.Where(e => e.Kind == "turnout" && e.StationId == station)
                    .Max(e => JsonDocument.Parse(e.Payload).RootElement.GetProperty("votersIssuedBallots").GetInt32());
                return (shown, inLedger);
            }, figures => figures.shown == figures.inLedger, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(500));
            Assert.Equal(newest, published);
            Assert.True(published >= acked.Where(a => a.StationId == station).Max(a => a.Voters));
        }
        TestContext.Current.TestOutputHelper?.WriteLine($"{entries.Count - afterFlood} entries reached the ledger after the flood's clients were done");
    }

    /// <summary>The ledger's entries: <paramref name="known"/> and those after it.</summary>
    private static async Task<List<LedgerEntryDto>> ReadLedgerAsync(HttpClient survivor, List<LedgerEntryDto> known, CancellationToken ct)
    {
        var entries = new List<LedgerEntryDto>(known);
        for (var after = entries.Count == 0 ? 0 : entries[^1].Seq; ;)
        {
            var page = await GetAsync<LedgerPageDto>(survivor, $"/api/v1/ledger?after={after}&limit=1000", ct);
            if (page!.Entries.Count == 0) return entries;
            entries.AddRange(page.Entries);
            after = page.Entries[^1].Seq;
        }
    }

    /// <summary>
    /// A read retried while it answers 5xx: until Orleans declares the killed silo dead (its membership probes, tens of
    /// seconds by default) a call to a grain that was active there fails. Reads come back; nothing written is lost.
    /// </summary>
    private static async Task<T> GetAsync<T>(HttpClient http, string address, CancellationToken ct)
    {
        HttpResponseMessage? last = null;
        var (response, _) = await Wait.ProbeAsync(async () =>
        {
            last?.Dispose();
            return last = await http.GetAsync(address, ct);
        }, r => r.IsSuccessStatusCode || (int)r.StatusCode < 500, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500));
        using (response)
        {
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadFromJsonAsync<T>(IngestJson.Options, ct))!;
        }
    }

    [Fact]
    public async Task AWebNodeKilledDuringAFloodLosesNoAcknowledgedReportAndItsViewersReconnectToTheOther()
    {
        var ct = TestContext.Current.CancellationToken;
        // A station large enough for the marker figure (plausibility refuses more ballots than voters).
        var station = _files.Election.Stations.Last(s => s.VotersOnList >= 1000).Id;
        var topic = $"station:{_files.Election.Id}:{station}";
        var viewers = new List<(HubConnection Hub, ConcurrentBag<int> Seen)>();
        var reconnected = 0;
        for (var i = 0; i < 10; i++)
        {
            var seen = new ConcurrentBag<int>();
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(_edge.BaseAddress, "/hubs/live"), o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; })
                .WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)])
                .Build();
            hub.On<JsonElement>("turnout", e => seen.Add(e.GetProperty("state").GetProperty("turnout").GetProperty("votersIssuedBallots").GetInt32()));
            // A reconnected viewer is a new connection: it subscribes again, as the portal's page script does.
            hub.Reconnected += async _ => { Interlocked.Increment(ref reconnected); await hub.InvokeAsync("Subscribe", topic); };
            await hub.StartAsync(ct);
            await hub.InvokeAsync("Subscribe", topic, ct);
            viewers.Add((hub, seen));
        }
        try
        {
            var (acked, failed) = await FloodAsync(() =>
            {
                _a.KillProcessOnly();
                return Task.CompletedTask;
            }, TimeSpan.FromSeconds(5), ct);
            Assert.True(acked.Count > 30, $"only {acked.Count} reports acknowledged ({failed} failed)");
            TestContext.Current.TestOutputHelper?.WriteLine($"node killed: {acked.Count} acknowledged, {failed} refused or lost in flight, {reconnected} viewers reconnected");
            using var survivor = new HttpClient { BaseAddress = _b.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            await AssertNothingAcknowledgedIsLostAsync(survivor, acked, ct);

            // The viewers that were on the killed node are back (through the edge, on the survivor) and get updates.
            Assert.True(reconnected > 0, "no viewer was on the killed node");
            using var edge = new HttpClient { BaseAddress = _edge.BaseAddress };
            var stations = new StationClient(edge, StationClient.Index(_files.PrivateKeys));
            const int Marker = 900;
            var nextPost = DateTime.UtcNow;
            await Wait.ProbeAsync(async () =>
            {
                if (viewers.All(v => v.Seen.Contains(Marker))) return true;
                if (DateTime.UtcNow >= nextPost && viewers.All(v => v.Hub.State == HubConnectionState.Connected))
                {
                    using var response = await stations.PostTurnoutAsync(station, new { submissionId = Guid.NewGuid().ToString(), asOf = DateTimeOffset.UtcNow, votersIssuedBallots = Marker }, ct);
                    // A 5xx while Orleans has not yet declared the dead silo dead is retried, as a station device does: half a
                    // second on; an accepted report is sent again only if 2 s later some viewer still has not had it.
                    Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode >= 500, $"{response.StatusCode}");
                    nextPost = DateTime.UtcNow + TimeSpan.FromMilliseconds(response.IsSuccessStatusCode ? 2000 : 500);
                }
                return false;
            }, everyoneHasIt => everyoneHasIt, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250));
            Assert.All(viewers, v => Assert.Contains(Marker, v.Seen));
        }
        finally
        {
            foreach (var (hub, _) in viewers) await hub.DisposeAsync();
        }
    }

    [Fact]
    public async Task RedisCrashedAndRestartedUnderLoadLosesNothingAcknowledgedAndTheNodesRecoverByThemselves()
    {
        var ct = TestContext.Current.CancellationToken;
        var (acked, failed) = await FloodAsync(() => _redis.CrashAndRestartAsync(TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(8), ct);
        Assert.True(acked.Count > 30, $"only {acked.Count} reports acknowledged ({failed} failed)");
        TestContext.Current.TestOutputHelper?.WriteLine($"redis crashed: {acked.Count} acknowledged, {failed} refused or lost in flight");

        // Both nodes take reports again without a restart.
        var keys = StationClient.Index(_files.PrivateKeys);
        foreach (var node in new[] { _a, _b })
        {
            using var http = new HttpClient { BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            var client = new StationClient(http, keys);
            var (status, _) = await Wait.ProbeAsync(async () =>
            {
                using var response = await client.PostTurnoutAsync(_files.Election.Stations.First(s => s.VotersOnList >= 1000).Id,
                    new { submissionId = Guid.NewGuid().ToString(), asOf = DateTimeOffset.UtcNow, votersIssuedBallots = node == _a ? 960 : 970 }, ct);
                return response.StatusCode;
            }, s => s == HttpStatusCode.Created, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500));
            Assert.Equal(HttpStatusCode.Created, status);
            Assert.False(node.HasExited);
        }
        using var survivor = new HttpClient { BaseAddress = _a.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        await AssertNothingAcknowledgedIsLostAsync(survivor, acked, ct);
    }
}
