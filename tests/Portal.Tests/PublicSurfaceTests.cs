using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Portal.Ops;
using Portal.StreamGateway;
using Portal.Tests.Ops;

namespace Portal.Tests;

/// <summary>
/// The anonymous web surface in memory: cacheable pages without cookies, nothing one visitor got replayed to another,
/// HEAD like GET, no internals on the public listener, redirects that ignore the Host header, HSTS over HTTPS.
/// </summary>
public sealed class PublicSurfaceTests(OpsHostFactory factory) : IClassFixture<OpsHostFactory>
{
    private static readonly string[] PublicPages = ["/", "/about", "/data", "/search", "/search?q=toshkent"];

    [Fact]
    public async Task AnonymousPagesSetNoCookieAndMayBeCachedPublicly()
    {
        var pages = PublicPages.Append("/regions/" + factory.Election.Regions[0].Id).Append("/stations/" + factory.Election.Stations[0].Id);
        foreach (var page in pages)
        {
            // Twice: the first render and the answer from the output cache.
            for (var i = 0; i < 2; i++)
            {
                using var response = await factory.Client().GetAsync(page);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.False(response.Headers.Contains("Set-Cookie"), $"{page} set a cookie: {string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var v) ? v : [])}");
                Assert.True(response.Headers.CacheControl is { Public: true, NoStore: false, MaxAge: not null }, $"{page}: Cache-Control {response.Headers.CacheControl}");
                // The language cookie changes the page: a kept cookie-less copy must not answer a visitor who chose one.
                Assert.Contains("Cookie", response.Headers.Vary);
            }
        }
    }

    [Fact]
    public async Task OneVisitorsCookieIsNeverReplayedToAnother()
    {
        // A: the language choice (a cookie) and the login form (an antiforgery cookie of A's own).
        var a = factory.Client();
        using var chosen = await a.GetAsync("/about?lang=ru");
        Assert.Contains(chosen.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".Portal.Culture=", StringComparison.Ordinal));
        Assert.Contains("private", chosen.Headers.CacheControl?.ToString());
        using var login = await a.GetAsync("/ops/login");
        var antiforgeryOfA = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal)).Split(';')[0];

        // B already holds the language cookie, so nothing of its own is due: any Set-Cookie would be A's, from the cache.
        foreach (var page in new[] { "/about?lang=ru", "/about", "/", "/?lang=ru" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, page);
            request.Headers.Add("Cookie", ".Portal.Culture=c%3Dru%7Cuic%3Dru");
            using var response = await factory.Client().SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("Set-Cookie"), $"{page} replayed a cookie to another visitor");
            Assert.DoesNotContain(antiforgeryOfA, await response.Content.ReadAsStringAsync());
        }
        // A page in the cookie's language (not the URL's) is that visitor's: no edge may share it.
        using var cookieLanguage = new HttpRequestMessage(HttpMethod.Get, "/about");
        cookieLanguage.Headers.Add("Cookie", ".Portal.Culture=c%3Dru%7Cuic%3Dru");
        var privately = (await factory.Client().SendAsync(cookieLanguage)).Headers.CacheControl;
        Assert.True(privately is { Private: true, Public: false, MaxAge: not null }, $"Cache-Control {privately}");
        // And an anonymous visitor of the same URL gets the default language, publicly cacheable.
        using var anonymous = await factory.Client().GetAsync("/about");
        Assert.True(anonymous.Headers.CacheControl?.Public);
        Assert.Contains("lang=\"uz", await anonymous.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ALanguageLinkIsServedFromTheCacheWithOnlyTheLanguageCookie()
    {
        // Following a language link without the cookie yet: the page comes from the cache (no render per request), and
        // the only cookie on it is the language choice, never one stored with the page.
        var fromCache = false;
        for (var attempt = 0; attempt < 5 && !fromCache; attempt++)
        {
            using var first = await factory.Client().GetAsync("/data?lang=en");
            using var second = await factory.Client().GetAsync("/data?lang=en");
            foreach (var response in new[] { first, second })
            {
                var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
                Assert.StartsWith(".Portal.Culture=c%3Den%7Cuic%3Den;", cookie);
                Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, $"Cache-Control {response.Headers.CacheControl}");
            }
            fromCache = second.Headers.Age is not null;
        }
        Assert.True(fromCache, "a language link was never answered from the output cache");
    }

    [Fact]
    public async Task UnknownQueryKeysShareTheCachedPageAndLongQueriesAre414()
    {
        // Keys no page reads do not make entries of their own, nor reach the page (its language links keep only known keys).
        var shared = false;
        for (var attempt = 0; attempt < 5 && !shared; attempt++)
        {
            var key = Guid.NewGuid().ToString("N");
            using var first = await factory.Client().GetAsync($"/about?junk={key}");
            using var second = await factory.Client().GetAsync($"/about?junk={key}x");
            Assert.DoesNotContain(key, await second.Content.ReadAsStringAsync());
            shared = second.Headers.Age is not null;
        }
        Assert.True(shared, "a request differing only in an unknown query key was never answered from the cache");

        using var tooLong = await factory.Client().GetAsync("/about?q=" + new string('a', 100_000));
        Assert.Equal(HttpStatusCode.RequestUriTooLong, tooLong.StatusCode);
        var body = await tooLong.Content.ReadAsStringAsync();
        Assert.True(body.Length < 500, body);
        Assert.Equal("too-long", JsonNode.Parse(body)!["errors"]![0]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task HeadAnswersLikeGetOnPagesApiHlsAndHealth()
    {
        var camera = factory.Election.Stations.SelectMany(s => s.Cameras).First().Id;
        var paths = factory.Services.GetRequiredService<CameraPaths>();
        Directory.CreateDirectory(paths.CameraDir(camera));
        await File.WriteAllTextAsync(paths.File(camera, CameraPaths.LivePlaylist), "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n");
        var addresses = new[]
        {
            "/about", "/api/v1/elections/" + factory.Election.Id, $"/hls/{camera}/live.m3u8", "/hls/cam-no-such-camera/live.m3u8",
            "/healthz/live", "/no-such-page",
        };
        foreach (var address in addresses)
        {
            using var get = await factory.Client().GetAsync(address);
            var getBody = await get.Content.ReadAsByteArrayAsync();
            using var head = await factory.Client().SendAsync(new HttpRequestMessage(HttpMethod.Head, address));
            Assert.True(get.StatusCode == head.StatusCode, $"{address}: GET {(int)get.StatusCode}, HEAD {(int)head.StatusCode}");
            Assert.Empty(await head.Content.ReadAsByteArrayAsync());
            Assert.Equal(getBody.Length, head.Content.Headers.ContentLength ?? 0);
            Assert.Equal(get.Content.Headers.ContentType?.ToString(), head.Content.Headers.ContentType?.ToString());
            Assert.Equal(get.Headers.CacheControl?.ToString(), head.Headers.CacheControl?.ToString());
        }
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/healthz")]
    [InlineData("/healthz/cluster")]
    public async Task InternalsAreNotOnThePublicListenerButAnOpsAdminSeesThem(string address)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await factory.Client().GetAsync(address)).StatusCode);
        var operatorClient = await factory.LoggedInAsync(OpsRoles.Operator);
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.GetAsync(address)).StatusCode);
        var admin = await factory.LoggedInAsync(OpsRoles.Admin);
        var status = (await admin.GetAsync(address)).StatusCode;
        Assert.True(status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"{address} to an admin: {(int)status}");
    }

    [Fact]
    public async Task PublicProbesNameNoInternals()
    {
        var ready = await factory.Client().GetStringAsync("/healthz/ready");
        Assert.Contains("\"silo\"", ready);
        Assert.DoesNotContain("description", ready);
        Assert.DoesNotContain("election grain on", ready);
    }

    [Theory]
    [InlineData("/ops")]
    [InlineData("/ops/intake?issue=MissingTurnout")]
    [InlineData("/ops/keys")]
    public async Task AForgedHostNeverReachesALocationHeader(string page)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, page);
        request.Headers.Host = "evil.example";
        using var response = await factory.Client().SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/ops/login?ReturnUrl=", location);
        Assert.DoesNotContain("evil", location);
    }

    [Fact]
    public async Task AReturnUrlThatIsNoValidHeaderAfterLoginAnswersASafeRedirect()
    {
        // Sent as the issue's attacker did: percent-encoded in the form, so the server decodes it to raw U+2215.
        var response = await OpsHostFactory.LoginAsync(factory.Client(), OpsHostFactory.UserOfRole[OpsRoles.Admin], OpsHostFactory.Password,
            Uri.UnescapeDataString("/ops/%E2%88%95%E2%88%95evil"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/ops", location);
        Assert.True(location.All(c => c is > ' ' and < (char)127), location);
    }

    [Fact]
    public async Task HstsOnlyOverHttps()
    {
        using var https = await factory.Client(https: true).GetAsync("/about");
        Assert.Equal("max-age=31536000", string.Join(",", https.Headers.GetValues("Strict-Transport-Security")));
        using var http = await factory.Client().GetAsync("/about");
        Assert.False(http.Headers.Contains("Strict-Transport-Security"));
    }
}
