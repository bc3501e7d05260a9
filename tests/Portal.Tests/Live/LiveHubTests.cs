using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains.Model;
using Portal.Ingest.Simulation;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Live;

/// <summary>The real host in memory (real clock: the demo day's polls), with a small API rate limit to test.</summary>
public sealed class LiveHostFactory() : InMemoryPortalFactory("portal-live-")
{
    public const int ApiLimit = 40;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Demo:Stations", "50");
        // The real-clock election is dated yesterday in Tashkent, so polls have opened whatever the hour: a report dated now
        // is plausible (a report before polls open is refused).
        builder.UseSetting("Demo:Day", DateTime.UtcNow.AddHours(5).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        // The demo would otherwise play an accelerated day with its simulator: these tests drive time and submissions themselves.
        builder.UseSetting("Simulator:Enabled", "false");
        builder.UseSetting("Demo:Enabled", builder.GetSetting("Demo:Enabled") ?? "false");
        // Cameras are defined and enabled (the pages show them) but this host runs no ffmpeg (the base turns supervision off).
        builder.UseSetting("Demo:ActiveCameraStations", "1");
        builder.UseSetting("PublicWeb:ApiRequestsPerWindow", ApiLimit.ToString());
        builder.UseSetting("PublicWeb:RateLimitWindowSeconds", "60");
        builder.UseSetting("PublicWeb:HubRequestsPerWindow", "1000");
    }

    public HubConnection Hub() => new HubConnectionBuilder()
        .WithUrl(new Uri(Server.BaseAddress, "/hubs/live"), o =>
        {
            o.HttpMessageHandlerFactory = _ => Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
        })
        .Build();

    public StationClient Stations() =>
        new(CreateClient(), StationClient.Index(StationKeyFiles.ReadPrivate(Path.Combine(DataDir, "demo", "station-private-keys.csv"))));

    public string ElectionId => Services.GetRequiredService<ElectionCatalog>().Election.Id;
}

public sealed class LiveHubTests(LiveHostFactory factory) : IClassFixture<LiveHostFactory>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task CameraStatesArriveOnSubscribingToAStationAndToTheCamerasTopicWithoutSources()
    {
        _ = factory.Server;
        var catalog = factory.Services.GetRequiredService<ElectionCatalog>();
        var station = catalog.Stations.First(s => s.Cameras.Any(c => c.Enabled));
        var enabled = station.Cameras.Where(c => c.Enabled).Select(c => c.Id).Order().ToList();
        var perCamera = new List<JsonElement>();
        var snapshot = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var bothCameras = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = factory.Hub();
        hub.On<JsonElement>("camera", e =>
        {
            lock (perCamera)
            {
                perCamera.Add(e);
                if (perCamera.Count >= enabled.Count) bothCameras.TrySetResult();
            }
        });
        hub.On<JsonElement>("cameras", e => snapshot.TrySetResult(e));
        await hub.StartAsync();
        await hub.InvokeAsync("Subscribe", $"station:{factory.ElectionId}:{station.Id}");
        await hub.InvokeAsync("Subscribe", $"cameras:{factory.ElectionId}");

        await bothCameras.Task.WaitAsync(Wait);
        lock (perCamera)
            Assert.Equal(enabled, perCamera.Select(e => e.GetProperty("state").GetProperty("cameraId").GetString()).Order());
        var all = (await snapshot.Task.WaitAsync(Wait)).GetProperty("state").GetProperty("cameras").EnumerateArray().ToList();
        var allEnabled = catalog.Stations.SelectMany(s => s.Cameras).Where(c => c.Enabled).Select(c => c.Id).Order();
        Assert.Equal(allEnabled, all.Select(c => c.GetProperty("cameraId").GetString()).Order());
        foreach (var camera in all.Concat(perCamera.Select(e => e.GetProperty("state"))))
        {
            Assert.Equal(["cameraId", "since", "state", "stationId"], camera.EnumerateObject().Select(p => p.Name).Order());
            Assert.False(string.IsNullOrEmpty(camera.GetProperty("state").GetString()));
        }
        // Unknown topics stay refused.
        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync("Subscribe", "cameras:another-election"));
    }

    [Fact]
    public async Task ASubscriberGetsTheNewestTurnoutOfItsStationWithAServerTimestamp()
    {
        _ = factory.Server; // start the host
        var stationId = factory.Services.GetRequiredService<ElectionCatalog>().Stations.OrderBy(st => st.Id, StringComparer.Ordinal).Skip(2).First().Id;
        var topic = $"station:{factory.ElectionId}:{stationId}";
        var received = new List<JsonElement>();
        var got = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var hub = factory.Hub();
        hub.On<JsonElement>("turnout", e =>
        {
            lock (received) received.Add(e);
            if (e.GetProperty("state").GetProperty("turnout").GetProperty("votersIssuedBallots").GetInt32() == 123) got.TrySetResult(e);
        });
        await hub.StartAsync();
        await hub.InvokeAsync("Subscribe", topic);

        var before = DateTimeOffset.UtcNow;
        var response = await factory.Stations().PostTurnoutAsync(stationId,
            new { submissionId = Guid.NewGuid().ToString(), asOf = DateTimeOffset.UtcNow, votersIssuedBallots = 123 });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var envelope = await got.Task.WaitAsync(Wait);
        Assert.Equal(topic, envelope.GetProperty("topic").GetString());
        var sentAt = envelope.GetProperty("sentAt").GetDateTimeOffset();
        Assert.InRange(sentAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(stationId, envelope.GetProperty("state").GetProperty("stationId").GetString());
        // The newest state, not the day's history: the report itself with its ledger entry, and nothing that grows.
        var turnout = envelope.GetProperty("state").GetProperty("turnout");
        Assert.Equal(64, turnout.GetProperty("entryHash").GetString()!.Length);
        Assert.Equal(["stationId", "turnout"], envelope.GetProperty("state").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task ARegionTopicSendsItsAreaStateOnSubscribingAndAfterAReportOfOneOfItsStations()
    {
        _ = factory.Server;
        var catalog = factory.Services.GetRequiredService<ElectionCatalog>();
        var station = catalog.Stations.OrderBy(st => st.Id, StringComparer.Ordinal).Skip(4).First();
        var topic = $"region:{factory.ElectionId}:{station.RegionId}";
        var snapshot = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var updated = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var issued = station.VotersOnList / 3 + 11;
        await using var hub = factory.Hub();
        hub.On<JsonElement>("area", e =>
        {
            snapshot.TrySetResult(e);
            var row = e.GetProperty("state").GetProperty("stations").EnumerateArray().Single(r => r.GetProperty("id").GetString() == station.Id);
            if (row.TryGetProperty("turnout", out var t) && Math.Abs(t.GetDouble() - 100.0 * issued / station.VotersOnList) < 1e-9) updated.TrySetResult(e);
        });
        await hub.StartAsync();
        await hub.InvokeAsync("Subscribe", topic);

        var first = (await snapshot.Task.WaitAsync(Wait)).GetProperty("state");
        Assert.Equal(topic, (await snapshot.Task).GetProperty("topic").GetString());
        // Every station of the region has a row, and every constituency of it one per contest.
        Assert.Equal(catalog.Stations.Where(s => s.RegionId == station.RegionId).Select(s => s.Id).Order(StringComparer.Ordinal),
            first.GetProperty("stations").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        Assert.Equal(catalog.Election.Contests.Sum(c => c.Constituencies.Count(k => k.RegionId == station.RegionId)),
            first.GetProperty("constituencies").EnumerateObject().Sum(c => c.Value.GetArrayLength()));

        var response = await factory.Stations().PostTurnoutAsync(station.Id,
            new { submissionId = Guid.NewGuid().ToString(), asOf = DateTimeOffset.UtcNow, votersIssuedBallots = issued });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var state = (await updated.Task.WaitAsync(Wait)).GetProperty("state");
        Assert.True(state.GetProperty("turnout").GetProperty("votersIssuedBallots").GetInt64() >= issued);
        Assert.NotEqual(0, state.GetProperty("curve").GetArrayLength());

        await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync("Subscribe", $"region:{factory.ElectionId}:no-such-region"));
    }

    [Fact]
    public async Task TopicsThatNameNothingInTheElectionAreRefused()
    {
        _ = factory.Server;
        await using var hub = factory.Hub();
        await hub.StartAsync();
        foreach (var topic in new[] { "station:other-election:1-0001", $"station:{factory.ElectionId}:no-such", "results", "", new string('x', 300) })
        {
            var e = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync("Subscribe", topic));
            Assert.Contains("unknown topic", e.Message);
        }
        await hub.InvokeAsync("Subscribe", $"election:{factory.ElectionId}");
    }

    [Fact]
    public async Task ALanguageChosenByQueryIsRememberedInACookieAndPagesCarryTheCsp()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
        var ru = await client.GetAsync("/about?lang=ru");
        Assert.Contains(ru.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".Portal.Culture=", StringComparison.Ordinal));
        Assert.Contains("<html lang=\"ru\"", await ru.Content.ReadAsStringAsync());
        var next = await client.GetStringAsync("/data");
        Assert.Contains("<html lang=\"ru\"", next);
        Assert.Contains("Открытые данные", next);
        var csp = Assert.Single(ru.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.DoesNotContain("unsafe", csp);
        var bad = await factory.CreateClient().GetStringAsync("/about?lang=xx");
        Assert.Contains("<html lang=\"uz-Latn\"", bad);
    }

    [Fact]
    public async Task PagesShowNoSecrets()
    {
        var catalog = factory.Services.GetRequiredService<ElectionCatalog>();
        var camera = catalog.Stations.First(s => s.Cameras.Any(c => c.Enabled));
        var html = await factory.CreateClient().GetStringAsync($"/stations/{camera.Id}");
        Assert.Contains(camera.Cameras[0].Id, html);
        Assert.DoesNotContain("rtsp://", html);
        var privateKey = StationKeyFiles.ReadPrivate(Path.Combine(factory.DataDir, "demo", "station-private-keys.csv")).First(k => k.StationId == camera.Id);
        Assert.DoesNotContain(Convert.ToBase64String(privateKey.Pkcs8)[..40], html);
        Assert.DoesNotContain("\"source\"", html);
    }

    [Fact]
    public async Task TheAnonymousApiIsRateLimitedPerAddress()
    {
        var client = factory.CreateClient();
        HttpResponseMessage? last = null;
        for (var i = 0; i <= LiveHostFactory.ApiLimit; i++)
        {
            last = await client.GetAsync("/api/v1/ledger/head");
            if (last.StatusCode == HttpStatusCode.TooManyRequests) break;
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.True(last.Headers.RetryAfter is not null, "429 carries Retry-After");
        Assert.Contains("rate-limited", await last.Content.ReadAsStringAsync());
        // Pages are not limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/about")).StatusCode);
    }
}
