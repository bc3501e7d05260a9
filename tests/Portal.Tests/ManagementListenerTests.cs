using System.Net;
using System.Text.RegularExpressions;
using Portal.Ops;
using Portal.Tests.Infrastructure;

namespace Portal.Tests;

/// <summary>
/// The real portal process on Kestrel: internals on the management listener only (told by the connection's port, not the
/// Host header), HEAD like GET and a return URL that once made an invalid Location header, over a real socket.
/// </summary>
public sealed class ManagementListenerTests : IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly string _dir = Directory.CreateTempSubdirectory("portal-management-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task InternalsOnTheManagementListenerOnlyAndTheWebSurfaceHoldsOnKestrel()
    {
        await using var portal = PortalProcess.Start(
        [
            "--data-dir", Path.Combine(_dir, "data"), "--Demo:Stations", "30", "--Demo:ActiveCameraStations", "0", "--Simulator:Enabled", "false",
            "--Gateway:Supervise", "false", "--Cluster:SiloPort", TestPorts.Free().ToString(), "--Cluster:GatewayPort", TestPorts.Free().ToString(),
            "--Ops:DemoUsers", "false", "--Ops:Users:0:Name", "anna.admin", "--Ops:Users:0:PasswordHash", OpsPasswords.Hash(Password),
            "--Ops:Users:0:Roles:0", OpsRoles.Admin,
        ]);
        await portal.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var publicHttp = new HttpClient { BaseAddress = portal.BaseAddress };
        using var management = new HttpClient { BaseAddress = portal.ManagementAddress };

        foreach (var address in new[] { "/metrics", "/healthz", "/healthz/cluster" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await publicHttp.GetAsync(address)).StatusCode);
            // A Host header naming the management port changes nothing: the listener is the socket's, not the header's.
            using var forged = new HttpRequestMessage(HttpMethod.Get, address);
            forged.Headers.Host = "127.0.0.1:" + portal.ManagementAddress.Port;
            Assert.Equal(HttpStatusCode.NotFound, (await publicHttp.SendAsync(forged)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await management.GetAsync(address)).StatusCode);
        }
        Assert.Contains("# TYPE http_requests_received_total counter", await management.GetStringAsync("/metrics"));
        Assert.Contains("thisSilo", await management.GetStringAsync("/healthz/cluster"));

        // HEAD on Kestrel: the status and length of GET, no body.
        foreach (var address in new[] { "/", "/healthz/live", "/api/v1/no-such-endpoint" })
        {
            using var get = await publicHttp.GetAsync(address);
            var length = (await get.Content.ReadAsByteArrayAsync()).Length;
            using var head = await publicHttp.SendAsync(new HttpRequestMessage(HttpMethod.Head, address));
            Assert.Equal(get.StatusCode, head.StatusCode);
            Assert.Equal(length, head.Content.Headers.ContentLength ?? 0);
        }

        // Login with the return URL that was a 500 (raw U+2215 in a Location header): a redirect to a safe local path.
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        using var browser = new HttpClient(handler) { BaseAddress = portal.BaseAddress };
        var html = await browser.GetStringAsync("/ops/login");
        var token = WebUtility.HtmlDecode(Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value);
        var login = await browser.PostAsync("/ops/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["username"] = "anna.admin", ["password"] = Password,
            ["returnUrl"] = Uri.UnescapeDataString("/ops/%E2%88%95%E2%88%95evil"),
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/ops/%E2%88%95%E2%88%95evil", login.Headers.Location!.OriginalString);
        // Logged in as admin, the internals answer on the public listener too.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/metrics")).StatusCode);

        // Bodies cut off by the client: counted, no Error with a stack trace per request.
        const int Aborted = 20;
        for (var i = 0; i < Aborted; i++)
        {
            using var socket = new System.Net.Sockets.TcpClient();
            await socket.ConnectAsync(portal.BaseAddress.Host, portal.BaseAddress.Port);
            var stream = socket.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
                $"POST /ops/signin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 65536\r\n\r\nusername=a&pass"));
            await stream.FlushAsync();
            socket.Client.Shutdown(System.Net.Sockets.SocketShutdown.Send);
            var buffer = new byte[4096];
            try { while (await stream.ReadAsync(buffer) > 0) { } } catch (IOException) { }
        }
        double faults = 0;
        await Wait.UntilAsync(async () =>
        {
            var metrics = await management.GetStringAsync("/metrics");
            faults = metrics.Split('\n').Where(l => l.StartsWith("portal_client_faults_total{", StringComparison.Ordinal))
                .Sum(l => double.Parse(l.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture));
            return faults >= Aborted;
        }, $"{Aborted} client faults counted", details: () => $"{faults} counted");
        Assert.True(faults >= Aborted, $"{faults} client faults counted for {Aborted} cut-off bodies");
        Assert.DoesNotContain("\"@l\":\"Error\"", portal.Output);
        Assert.DoesNotContain("\"@l\":\"Fatal\"", portal.Output);
    }
}
