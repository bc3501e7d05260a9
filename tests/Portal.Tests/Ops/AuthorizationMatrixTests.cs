using System.Net;
using Portal.Ops;

namespace Portal.Tests.Ops;

/// <summary>
/// Walks every route the app maps, anonymously and as each role: public routes answer anyone, ops routes only their
/// roles (anonymous: redirect to the login page or 401; another role: 403 or the denied page), station routes only a
/// valid signature (401 without one, with or without an ops cookie).
/// </summary>
public sealed class AuthorizationMatrixTests(OpsHostFactory factory) : IClassFixture<OpsHostFactory>
{
    /// <summary>Public GET routes that do not answer 200 to the walk's sample request, and why that is right.</summary>
    private static readonly Dictionary<string, HttpStatusCode[]> PublicNot200 = new(StringComparer.Ordinal)
    {
        // No camera is supervised in this host (no ffmpeg): nothing has been written for the sample camera yet.
        ["/hls/{cameraId}/live.m3u8"] = [HttpStatusCode.NotFound],
        ["/hls/{cameraId}/archive.m3u8"] = [HttpStatusCode.NotFound, HttpStatusCode.BadRequest],
        ["/hls/{cameraId}/thumb.jpg"] = [HttpStatusCode.NotFound],
        ["/hls/{cameraId}/{segment}"] = [HttpStatusCode.NotFound],
        // Protocol endpoints: a bare GET without a connection id is a bad request, not a denial.
        ["/hubs/live"] = [HttpStatusCode.BadRequest],
        ["/not-found"] = [HttpStatusCode.NotFound],
        // Volunteer counting: no clip of today may be archived yet (204), the sample station may have no ballot-box camera.
        ["/api/v1/count/task"] = [HttpStatusCode.NoContent],
        ["/api/v1/elections/{electionId}/counting/stations/{stationId}"] = [HttpStatusCode.NotFound],
        // Blazor's enhanced-navigation redirect helper needs a protected query value; without one it is a bad request.
        ["/_framework/opaque-redirect"] = [HttpStatusCode.BadRequest],
        // SignalR negotiate is POST only; the walk tries GET where a route declares no method.
        ["/hubs/live/negotiate"] = [HttpStatusCode.MethodNotAllowed],
        // The static-asset catch-all: the sample path names no file.
        ["/{**path:file}"] = [HttpStatusCode.NotFound],
        // Internals: answered on the management listener or to an ops admin only; the public listener says they do not exist.
        ["/healthz/cluster"] = [HttpStatusCode.NotFound],
        ["/healthz"] = [HttpStatusCode.NotFound],
        ["/metrics"] = [HttpStatusCode.NotFound],
        // This host's election file comes without demo decisions: the sample decision id names none.
        ["/decisions/{decisionId}"] = [HttpStatusCode.NotFound],
    };

    [Fact]
    public async Task EveryEndpointAnswersOnlyTheCallersItAllows()
    {
        _ = factory.Server;
        var endpoints = EndpointWalk.Enumerate(factory.Services);
        // The walk must see the parts this suite is about; if one disappears the matrix would pass vacuously.
        Assert.Contains(endpoints, e => e.Pattern == "/ops" && e.Access == EndpointAccess.Ops);
        Assert.Contains(endpoints, e => e.Pattern == "/ops/decisions" && e.Roles.SequenceEqual([OpsRoles.Publisher]));
        Assert.Contains(endpoints, e => e.Pattern.StartsWith("/_blazor", StringComparison.Ordinal) && e.Access == EndpointAccess.Ops);
        Assert.Contains(endpoints, e => e.Access == EndpointAccess.Station);
        Assert.Contains(endpoints, e => e.Pattern == "/api/v1/search" && e.Access == EndpointAccess.Public);

        var failures = new List<string>();
        var anonymous = factory.Client();
        var clients = new Dictionary<string, HttpClient>();
        foreach (var role in OpsRoles.All) clients[role] = await factory.LoggedInAsync(role);

        foreach (var endpoint in endpoints)
        {
            var response = await SendAsync(anonymous, endpoint);
            var status = response.StatusCode;
            var location = response.Headers.Location?.OriginalString ?? "";
            switch (endpoint.Access)
            {
                case EndpointAccess.Public:
                    if (IsDenied(response)) failures.Add($"{endpoint}: anonymous denied ({(int)status} {location})");
                    else if (endpoint.Method == "GET" && status != HttpStatusCode.OK
                        && !(PublicNot200.TryGetValue(endpoint.Pattern, out var allowed) && allowed.Contains(status)))
                        failures.Add($"{endpoint}: anonymous GET {endpoint.Url} answered {(int)status}, expected 200");
                    break;
                case EndpointAccess.Ops:
                    var toLogin = status == HttpStatusCode.Redirect && location.Contains("/ops/login", StringComparison.Ordinal);
                    if (!toLogin && status != HttpStatusCode.Unauthorized)
                        failures.Add($"{endpoint}: anonymous got {(int)status} {location}, expected a redirect to the login page or 401");
                    break;
                case EndpointAccess.Station:
                    if (status != HttpStatusCode.Unauthorized) failures.Add($"{endpoint}: unsigned request got {(int)status}, expected 401");
                    break;
            }

            foreach (var (role, client) in clients)
            {
                if (endpoint.Access == EndpointAccess.Public) continue;
                response = await SendAsync(client, endpoint);
                status = response.StatusCode;
                location = response.Headers.Location?.OriginalString ?? "";
                if (endpoint.Access == EndpointAccess.Station)
                {
                    if (status != HttpStatusCode.Unauthorized) failures.Add($"{endpoint}: {role} cookie without signature got {(int)status}, expected 401");
                }
                else if (endpoint.Roles.Contains(role))
                {
                    if (IsDenied(response)) failures.Add($"{endpoint}: {role} denied ({(int)status} {location})");
                    else if (endpoint.Method == "GET" && !endpoint.Pattern.StartsWith("/_blazor", StringComparison.Ordinal) && status != HttpStatusCode.OK)
                        failures.Add($"{endpoint}: {role} GET {endpoint.Url} answered {(int)status}, expected 200");
                }
                else
                {
                    var toDenied = status == HttpStatusCode.Redirect && location.Contains("/ops/denied", StringComparison.Ordinal);
                    if (!toDenied && status != HttpStatusCode.Forbidden)
                        failures.Add($"{endpoint}: {role} got {(int)status} {location}, expected 403 or the denied page");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {endpoints.Count} routes misbehave:\n" + string.Join('\n', failures));
    }

    [Fact]
    public async Task StationEndpointsRefuseABadSignature()
    {
        _ = factory.Server;
        var station = factory.Election.Stations[0];
        var key = factory.PrivateKeys.First(k => k.StationId == station.Id);
        var client = factory.Client();
        foreach (var path in new[] { $"/api/v1/stations/{station.Id}/turnout", $"/api/v1/stations/{station.Id}/protocols" })
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            request.Headers.TryAddWithoutValidation("Authorization", $"ECDSA-P256 KeyId={key.KeyId},Timestamp={timestamp},Signature={Convert.ToBase64String(new byte[64])}");
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
        }
    }

    private static bool IsDenied(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            || (response.StatusCode == HttpStatusCode.Redirect && (location.Contains("/ops/login", StringComparison.Ordinal) || location.Contains("/ops/denied", StringComparison.Ordinal)));
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, WalkedEndpoint endpoint)
    {
        var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Url);
        if (endpoint.Method is "POST" or "PUT" or "PATCH") request.Content = new FormUrlEncodedContent([]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.Dispose();
        return response;
    }
}
