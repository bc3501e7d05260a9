using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Portal.Ingest.Simulation;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Cluster;

/// <summary>A cluster node with a live demo camera (real ffmpeg) behind the repository's nginx edge configuration.</summary>
public sealed class EdgeFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portal-edge-").FullName;
    private RedisServer? _redis;

    public TestElectionFiles Files { get; private set; } = null!;
    public PortalProcess Node { get; private set; } = null!;
    public NginxEdge Edge { get; private set; } = null!;
    public string CameraId { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        RequiredTool.Find("ffmpeg", "apt-get install -y ffmpeg");
        _redis = await RedisServer.StartAsync();
        Files = TestElectionFiles.Write(_dir, stations: 20, cameraStations: 1, seed: 11);
        CameraId = Files.Election.Stations[0].Cameras[0].Id;
        Node = PortalProcess.Start(Files.ClusterNode(_dir, "gateway", _redis.ConnectionString, "edge-" + Guid.NewGuid().ToString("N")[..8], "all",
            "--PublicWeb:TrustedProxies", "127.0.0.1"));
        await Node.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
        Edge = await NginxEdge.StartAsync(Path.Combine(_dir, "nginx"), [Node.BaseAddress], [Node.BaseAddress]);
    }

    public async ValueTask DisposeAsync()
    {
        if (Edge is not null) await Edge.DisposeAsync();
        if (Node is not null) await Node.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

public sealed class EdgeTests(EdgeFixture fixture) : IClassFixture<EdgeFixture>
{
    private static string Status(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Cache-Status", out var values) ? string.Join(",", values) : "(none)";

    private async Task<string> LivePlaylistAsync(HttpClient edge)
    {
        var text = "";
        await Wait.UntilAsync(async () =>
        {
            using var response = await edge.GetAsync($"/hls/{fixture.CameraId}/live.m3u8", TestContext.Current.CancellationToken);
            text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            return response.StatusCode == HttpStatusCode.OK && text.Split('\n').Count(l => l.EndsWith(".ts", StringComparison.Ordinal)) >= 2;
        }, $"camera {fixture.CameraId} to have a live playlist through the edge", TimeSpan.FromSeconds(90),
            () => $"{fixture.Node.Output[^Math.Min(3000, fixture.Node.Output.Length)..]}\n{fixture.Edge.ErrorLog}", TimeSpan.FromMilliseconds(300));
        return text;
    }

    private static int OriginRequests(IEnumerable<string> lines, string path) =>
        lines.Count(l => l.Contains($" {path} ", StringComparison.Ordinal) && !l.Contains("upstream=- ", StringComparison.Ordinal));

    [Fact]
    public async Task ASegmentIsFetchedFromTheOriginOnceAndThenServedFromTheEdge()
    {
        var ct = TestContext.Current.CancellationToken;
        using var edge = new HttpClient { BaseAddress = fixture.Edge.BaseAddress };
        var playlist = await LivePlaylistAsync(edge);
        var segment = playlist.Split('\n').Last(l => l.EndsWith(".ts", StringComparison.Ordinal)).Trim();
        var path = $"/hls/{fixture.CameraId}/{segment}";

        // Forty players ask for the newest segment at once: the cache lock lets one request through to the origin.
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(async _ =>
        {
            using var response = await edge.GetAsync(path, ct);
            return (response.StatusCode, Bytes: await response.Content.ReadAsByteArrayAsync(ct), Cache: Status(response));
        }));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.All(responses, r => Assert.Equal(responses[0].Bytes, r.Bytes));
        Assert.True(responses[0].Bytes.Length > 1000, $"a segment of {responses[0].Bytes.Length} bytes");

        using var again = await edge.GetAsync(path, ct);
        Assert.Equal("HIT", Status(again));
        using var head = await edge.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), ct);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(responses[0].Bytes.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(ct));
        Assert.Equal("HIT", Status(head));

        var lines = await fixture.Edge.AccessLogAsync(l => l.Count(x => x.Contains($" {path} ", StringComparison.Ordinal)) >= 42, TimeSpan.FromSeconds(30));
        Assert.Equal(42, lines.Count(l => l.Contains($" {path} ", StringComparison.Ordinal)));
        Assert.Equal(1, OriginRequests(lines, path));
    }

    [Fact]
    public async Task ThePlaylistIsCachedForItsOneSecondAndRefreshedByOneRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        using var edge = new HttpClient { BaseAddress = fixture.Edge.BaseAddress };
        await LivePlaylistAsync(edge);
        var path = $"/hls/{fixture.CameraId}/live.m3u8";
        var before = OriginRequests(await fixture.Edge.AccessLogAsync(_ => true, TimeSpan.Zero), path);

        // Twenty players poll the playlist every 100 ms for 4 s: 800 requests, and the origin sees about one a second.
        var started = DateTime.UtcNow;
        var seen = new List<string>();
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            while (DateTime.UtcNow - started < TimeSpan.FromSeconds(4))
            {
                using var response = await edge.GetAsync(path, ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                lock (seen) seen.Add(Status(response));
                await Task.Delay(100, ct); // deliberate: a player's polling pace
            }
        }));
        Assert.Contains("HIT", seen);
        var lines = await fixture.Edge.AccessLogAsync(l => l.Count(x => x.Contains($" {path} ", StringComparison.Ordinal)) >= seen.Count, TimeSpan.FromSeconds(30));
        var origin = OriginRequests(lines, path) - before;
        Assert.True(origin is >= 2 and <= 10, $"{origin} origin requests for {seen.Count} playlist requests in 4 s (statuses: {string.Join(",", seen.Distinct())})");

        using var head = await edge.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), ct);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("application/vnd.apple.mpegurl", head.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AHubViewerThroughTheEdgeGetsAReportPostedThroughTheEdge()
    {
        var ct = TestContext.Current.CancellationToken;
        var election = fixture.Files.Election;
        var station = election.Stations[2];
        var topic = $"station:{election.Id}:{station.Id}";
        var received = new List<JsonElement>();
        await using var viewer = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Edge.BaseAddress, "/hubs/live"), o => { o.Transports = HttpTransportType.WebSockets; o.SkipNegotiation = true; })
            .Build();
        viewer.On<JsonElement>("turnout", e => { lock (received) received.Add(e); });
        await viewer.StartAsync(ct);
        await viewer.InvokeAsync("Subscribe", topic, ct);

        using var edge = new HttpClient { BaseAddress = fixture.Edge.BaseAddress };
        var stations = new StationClient(edge, StationClient.Index(fixture.Files.PrivateKeys));
        using var response = await stations.PostTurnoutAsync(station.Id,
            new { submissionId = Guid.NewGuid().ToString(), asOf = DateTimeOffset.UtcNow, votersIssuedBallots = 417 }, ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        // Passed through uncached: no cache status at all.
        Assert.False(response.Headers.Contains("X-Cache-Status"), Status(response));

        bool Got() { lock (received) return received.Any(e => e.GetProperty("state").GetProperty("turnout").GetProperty("votersIssuedBallots").GetInt32() == 417); }
        await Wait.UntilAsync(Got, "the viewer behind the edge to get the report", details: () => $"{received.Count} turnout messages, none with 417");

        // The edge refuses an oversized station body itself, with the intake's JSON error body.
        using var tooLarge = await stations.PostAsync(station.Id, "turnout", new byte[70_000], cancellationToken: ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        var error = JsonDocument.Parse(await tooLarge.Content.ReadAsStringAsync(ct)).RootElement;
        Assert.Equal("size", error.GetProperty("errors")[0].GetProperty("code").GetString());
    }
}
