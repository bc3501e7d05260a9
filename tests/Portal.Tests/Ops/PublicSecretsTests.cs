using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Portal.Grains.Abstractions;
using Portal.Grains.Model;

namespace Portal.Tests.Ops;

/// <summary>
/// Camera sources are secrets. Every camera of this election has an RTSP URL with a user and password, and the camera
/// grains hold an error message quoting it; then every public GET route is requested for every station and camera
/// (plus searches and the open data) and no response may contain the URL, its host, the credentials, a password hash
/// or a station's private key.
/// </summary>
public sealed class PublicSecretsTests(OpsHostFactory factory) : IClassFixture<OpsHostFactory>
{
    [Fact]
    public async Task NoPublicResponseContainsACameraSourceOrCredential()
    {
        _ = factory.Server;
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        var catalog = factory.Services.GetRequiredService<ElectionCatalog>();
        foreach (var station in catalog.Election.Stations.Take(10))
            foreach (var camera in station.Cameras)
                await grains.GetGrain<ICameraGrain>(camera.Id).ReportAsync(new CameraHealthReport(
                    CameraState.Offline, DateTimeOffset.UtcNow, 0, 3, $"Connection to {camera.Source} refused", null, "node-1"));

        var secrets = new List<string> { OpsHostFactory.SourcePassword, OpsHostFactory.SourceUser + ":", "rtsp://", "10.20.", "AQAAAAIAAYag", OpsHostFactory.Password };
        secrets.AddRange(factory.PrivateKeys.Take(20).Select(k => Convert.ToBase64String(k.Pkcs8)[..40]));

        var urls = new HashSet<string>(StringComparer.Ordinal);
        foreach (var station in catalog.Election.Stations)
        {
            var camera = station.Cameras[0].Id;
            foreach (var e in EndpointWalk.Enumerate(factory.Services, new Dictionary<string, string>
                     {
                         ["stationId"] = station.Id, ["cameraId"] = camera, ["regionId"] = station.RegionId,
                         ["id"] = station.Constituencies[catalog.Election.Contests[0].Id],
                         ["path"] = $"{camera}/live.m3u8",
                     }))
                if (e.Access == EndpointAccess.Public && e.Method == "GET" && !e.Pattern.StartsWith("/_", StringComparison.Ordinal)) urls.Add(e.Url);
        }
        foreach (var q in new[] { "cam", "rtsp", "camuser", "10.20", "live", station0() })
            urls.Add($"/api/v1/search?q={Uri.EscapeDataString(q)}");
        urls.Add("/api/v1/ledger?after=0&limit=1000");
        Assert.True(urls.Count > catalog.Election.Stations.Count, "the walk found too few public routes to be a meaningful scan");

        var client = factory.Client();
        var leaks = new List<string>();
        var ok = 0;
        foreach (var url in urls)
        {
            var response = await client.GetAsync(url);
            if (response.StatusCode == HttpStatusCode.OK) ok++;
            var body = await response.Content.ReadAsStringAsync();
            var headers = string.Join('\n', response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(',', h.Value)}"));
            foreach (var secret in secrets)
                if (body.Contains(secret, StringComparison.OrdinalIgnoreCase) || headers.Contains(secret, StringComparison.OrdinalIgnoreCase))
                    leaks.Add($"{url} contains \"{secret}\"");
        }
        Assert.True(ok >= catalog.Election.Stations.Count, $"only {ok} of {urls.Count} public responses were 200");
        Assert.True(leaks.Count == 0, string.Join('\n', leaks));

        string station0() => catalog.Election.Stations[0].Id;
    }
}
