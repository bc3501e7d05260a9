using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.Ops;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Ops;

/// <summary>
/// The real portal in memory with one known account per role (no generated demo accounts), a small election whose camera
/// sources are RTSP URLs with credentials (so a leak is detectable), no camera supervision (no ffmpeg), a low lockout
/// threshold and rate limits out of the way of the endpoint walk.
/// </summary>
public sealed class OpsHostFactory : InMemoryPortalFactory
{
    public const string Password = "correct horse battery staple";
    public const int MaxFailures = 3;
    public const string SourceUser = "camuser";
    public const string SourcePassword = "Cam3raS3cret";

    public static readonly IReadOnlyDictionary<string, string> UserOfRole = new Dictionary<string, string>
    {
        [OpsRoles.Operator] = "olga.operator", [OpsRoles.Publisher] = "pavel.publisher", [OpsRoles.Admin] = "anna.admin", [OpsRoles.Counter] = "cora.counter",
    };

    private static readonly Lazy<string> PasswordHash = new(() => OpsPasswords.Hash(Password));

    public OpsHostFactory() : base("portal-ops-")
    {
        var folder = Path.Combine(DataDir, "election");
        Directory.CreateDirectory(folder);
        var election = DemoElectionGenerator.Generate(new DemoElectionOptions
        {
            Seed = 7, Stations = 60, ActiveCameraStations = 10, ElectionDay = DateOnly.FromDateTime(DateTime.UtcNow),
        });
        // Polls of today open at 08:00 Tashkent (03:00 UTC): a run before that would find a turnout report refused as
        // before polls open. Opened an hour ago at the latest, whatever the hour.
        if (election.PollsOpen > DateTimeOffset.UtcNow.AddHours(-1)) election.PollsOpen = DateTimeOffset.UtcNow.AddHours(-1);
        foreach (var station in election.Stations)
            foreach (var camera in station.Cameras)
                camera.Source = $"rtsp://{SourceUser}:{SourcePassword}@10.20.{station.Number % 250}.7:554/live/{camera.Id}";
        var files = TestElectionFiles.Write(folder, election, keysFileName: "station-keys.csv");
        (ElectionFile, KeysFile, PrivateKeys, Election) = (files.ElectionPath, files.KeysPath, files.PrivateKeys, election);
    }

    public string ElectionFile { get; }
    public string KeysFile { get; }
    public ElectionDefinition Election { get; }
    public IReadOnlyList<StationPrivateKey> PrivateKeys { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("election", ElectionFile);
        builder.UseSetting("station-keys", KeysFile);
        builder.UseSetting("Search:IndexPath", Path.Combine(DataDir, "search"));
        builder.UseSetting("PublicWeb:ApiRequestsPerWindow", "1000000");
        builder.UseSetting("PublicWeb:HubRequestsPerWindow", "1000000");
        builder.UseSetting("Ops:DemoUsers", "false");
        builder.UseSetting("Ops:Lockout:MaxFailures", MaxFailures.ToString());
        builder.UseSetting("Ops:Lockout:MaxFailuresPerAddress", "1000");
        var i = 0;
        foreach (var (role, name) in UserOfRole)
        {
            builder.UseSetting($"Ops:Users:{i}:Name", name);
            builder.UseSetting($"Ops:Users:{i}:PasswordHash", PasswordHash.Value);
            builder.UseSetting($"Ops:Users:{i}:Roles:0", role);
            i++;
        }
        // A name to lock out without disturbing the others.
        builder.UseSetting($"Ops:Users:{i}:Name", "lena.lockout");
        builder.UseSetting($"Ops:Users:{i}:PasswordHash", PasswordHash.Value);
        builder.UseSetting($"Ops:Users:{i}:Roles:0", OpsRoles.Operator);
    }

    /// <summary>A client that follows no redirects (the tests look at them) and keeps cookies.</summary>
    public HttpClient Client(bool https = false) => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri(https ? "https://localhost" : "http://localhost"),
    });

    /// <summary>Logs in through the real login form (antiforgery token and all).</summary>
    public async Task<HttpClient> LoggedInAsync(string role)
    {
        var client = Client();
        var response = await LoginAsync(client, UserOfRole[role], Password);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"login as {role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("/ops", response.Headers.Location?.OriginalString);
        return client;
    }

    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string name, string password, string? returnUrl = null)
    {
        var token = await AntiforgeryTokenAsync(client, "/ops/login");
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["username"] = name, ["password"] = password };
        if (returnUrl is not null) fields["returnUrl"] = returnUrl;
        return await client.PostAsync("/ops/signin", new FormUrlEncodedContent(fields));
    }

    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string page)
    {
        var html = await client.GetStringAsync(page);
        var match = Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"");
        Assert.True(match.Success, $"no antiforgery token on {page}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }
}
