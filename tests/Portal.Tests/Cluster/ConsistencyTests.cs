using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Portal.Ingest.Simulation;
using Portal.Ops;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Cluster;

/// <summary>
/// Two real nodes on one Redis, each with its own embedded search index and key registry: what ops does on one node
/// (publish a decision, revoke a station key) is in effect on the other within 2 s.
/// </summary>
public sealed class ConsistencyTests : IAsyncLifetime
{
    private const string Password = "consistency test password";
    private readonly string _dir = Directory.CreateTempSubdirectory("portal-consistency-").FullName;
    private RedisServer _redis = null!;
    private TestElectionFiles _files = null!;
    private PortalProcess _a = null!, _b = null!;

    public async ValueTask InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _files = TestElectionFiles.Write(_dir, stations: 40, cameraStations: 0, seed: 21);
        var clusterId = "consistency-" + Guid.NewGuid().ToString("N")[..8];
        var hash = OpsPasswords.Hash(Password);
        string[] ops =
        [
            "--Ops:DemoUsers", "false",
            "--Ops:Users:0:Name", "pavel.publisher", "--Ops:Users:0:PasswordHash", hash, "--Ops:Users:0:Roles:0", OpsRoles.Publisher,
            "--Ops:Users:1:Name", "anna.admin", "--Ops:Users:1:PasswordHash", hash, "--Ops:Users:1:Roles:0", OpsRoles.Admin,
        ];
        _a = PortalProcess.Start(_files.ClusterNode(_dir, "a", _redis.ConnectionString, clusterId, "web", ops));
        _b = PortalProcess.Start(_files.ClusterNode(_dir, "b", _redis.ConnectionString, clusterId, "web", ops));
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
    public async Task ADecisionPublishedOnOneNodeIsFoundAndShownOnTheOtherWithinTwoSeconds()
    {
        var ct = TestContext.Current.CancellationToken;
        using var publisher = await LoggedInAsync(_a, "pavel.publisher");
        using var b = new HttpClient { BaseAddress = _b.BaseAddress };
        var word = "Kelishuv" + Guid.NewGuid().ToString("N")[..8];
        var number = "MSK-" + Random.Shared.Next(100000, 999999) + "-son";
        // Node B's index has answered a search before, so the hit below is the new document and not an index still opening.
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync($"/api/v1/search?q={word}&type=decision", ct)).StatusCode);

        var page = await PostFormAsync(publisher, "/ops/decisions", "publish", new()
        {
            ["Publish.Number"] = number, ["Publish.Date"] = DateTime.UtcNow.ToString("yyyy-MM-dd"), ["Publish.CommissionId"] = "cec",
            ["Publish.TitleEn"] = $"On {word}", ["Publish.BodyEn"] = $"The commission decides on {word}.",
        });
        Assert.Contains("Published " + number, page);
        var published = Stopwatch.StartNew();

        var (search, hit) = await Wait.ProbeAsync(() => b.GetStringAsync($"/api/v1/search?q={word}&type=decision", ct),
            answer => answer.Contains(number, StringComparison.Ordinal), TimeSpan.FromSeconds(10) - published.Elapsed);
        var found = hit ? published.Elapsed : TimeSpan.Zero;
        Assert.True(found > TimeSpan.Zero, $"node B's search has no hit for the decision 10 s after it was published on A: {search}");
        // The index's staleness bound is 1 s and the contract 2 s; 5 s leaves a loaded 2-core box room, and a node that
        // never heard of the decision (only its periodic repair would find it) fails the 10 s wait above.
        Assert.True(found <= TimeSpan.FromSeconds(5), $"node B found the decision {found.TotalSeconds:F2} s after it was published on A");

        using var decisionPage = await b.GetAsync($"/decisions/{OpsDecisionService.IdOf(number)}", ct);
        Assert.Equal(HttpStatusCode.OK, decisionPage.StatusCode);
        Assert.Contains(word, await decisionPage.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task AKeyRevokedOnOneNodeIsRefusedByTheOtherWithinTwoSeconds()
    {
        var ct = TestContext.Current.CancellationToken;
        using var admin = await LoggedInAsync(_a, "anna.admin");
        var station = _files.Election.Stations[7];
        var key = _files.PrivateKeys.Single(k => k.StationId == station.Id);
        using var b = new HttpClient { BaseAddress = _b.BaseAddress };
        var device = new StationClient(b, StationClient.Index([key]));
        object Turnout(int issued) => new { submissionId = Guid.NewGuid().ToString(), asOf = DateTimeOffset.UtcNow, votersIssuedBallots = issued };

        using var before = await device.PostTurnoutAsync(station.Id, Turnout(10), ct);
        Assert.Equal(HttpStatusCode.Created, before.StatusCode);

        var page = await PostFormAsync(admin, "/ops/keys", "revoke", new() { ["Revoke.KeyId"] = key.KeyId });
        Assert.Contains($"Key {key.KeyId} of station {station.Id} revoked", page);
        var revoked = Stopwatch.StartNew();

        var issued = 11;
        var (_, dropped) = await Wait.ProbeAsync(async () =>
        {
            using var response = await device.PostTurnoutAsync(station.Id, Turnout(issued++), ct);
            if (response.StatusCode != HttpStatusCode.Unauthorized) Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return response.StatusCode;
        }, status => status == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10) - revoked.Elapsed);
        var refused = dropped ? revoked.Elapsed : TimeSpan.Zero;
        Assert.True(refused > TimeSpan.Zero, "node B still accepts the key 10 s after it was revoked on node A");
        // The key list is cached for 2 s; 5 s leaves a loaded 2-core box room, and a node that never drops the key fails
        // the 10 s wait above.
        Assert.True(refused <= TimeSpan.FromSeconds(5), $"node B refused the revoked key only {refused.TotalSeconds:F2} s after the revocation on A");
    }

    private static async Task<HttpClient> LoggedInAsync(PortalProcess node, string user)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = node.BaseAddress,
        };
        var token = await TokenAsync(client, "/ops/login");
        using var response = await client.PostAsync("/ops/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["username"] = user, ["password"] = Password,
        }));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"login as {user}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    private static async Task<string> TokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        var match = Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"");
        Assert.True(match.Success, $"no antiforgery token on {page}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    private static async Task<string> PostFormAsync(HttpClient client, string page, string handler, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await TokenAsync(client, page);
        fields["_handler"] = handler;
        using var response = await client.PostAsync(page, new FormUrlEncodedContent(fields));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return WebUtility.HtmlDecode(body);
    }
}
