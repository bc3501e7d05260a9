using System.Net;
using Portal.Extensions;
using Portal.Ops;

namespace Portal.Tests.Ops;

public sealed class LoginSecurityTests(OpsHostFactory factory) : IClassFixture<OpsHostFactory>
{
    [Fact]
    public async Task AccountIsLockedAfterRepeatedFailuresEvenForTheRightPassword()
    {
        var client = factory.Client();
        for (var i = 1; i <= OpsHostFactory.MaxFailures; i++)
        {
            var failed = await OpsHostFactory.LoginAsync(client, "lena.lockout", "wrong password " + i);
            Assert.Equal(HttpStatusCode.Redirect, failed.StatusCode);
            var expected = i < OpsHostFactory.MaxFailures ? "error=invalid" : "error=locked";
            Assert.Contains(expected, failed.Headers.Location!.OriginalString);
        }
        var right = await OpsHostFactory.LoginAsync(client, "lena.lockout", OpsHostFactory.Password);
        Assert.Contains("error=locked", right.Headers.Location!.OriginalString);
        Assert.False(right.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(OpsExtensions.CookieName + "=", StringComparison.Ordinal)),
            "a locked account got a session cookie");
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/ops")).StatusCode);
        // Another account is not affected by this one's lockout.
        await factory.LoggedInAsync(OpsRoles.Operator);
    }

    [Fact]
    public async Task UnknownNamesAreLockedLikeKnownOnesSoLockoutRevealsNoAccount()
    {
        var client = factory.Client();
        string? last = null;
        for (var i = 0; i < OpsHostFactory.MaxFailures; i++)
            last = (await OpsHostFactory.LoginAsync(client, "nobody-by-this-name", "x" + i)).Headers.Location!.OriginalString;
        Assert.Contains("error=locked", last);
    }

    [Fact]
    public async Task LoginWithoutAntiforgeryTokenIsRefused()
    {
        var client = factory.Client();
        await client.GetAsync("/ops/login");
        var response = await client.PostAsync("/ops/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = OpsHostFactory.UserOfRole[OpsRoles.Operator], ["password"] = OpsHostFactory.Password,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("csrf", await response.Content.ReadAsStringAsync());
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(OpsExtensions.CookieName + "=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PublishingFormWithoutAntiforgeryTokenChangesNothing()
    {
        var client = await factory.LoggedInAsync(OpsRoles.Publisher);
        var response = await client.PostAsync("/ops/decisions", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "publish", ["Publish.Number"] = "CSRF-1", ["Publish.Date"] = DateTime.UtcNow.ToString("yyyy-MM-dd"),
            ["Publish.CommissionId"] = "cec", ["Publish.TitleEn"] = "Forged", ["Publish.BodyEn"] = "Forged",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await client.GetStringAsync("/ops/decisions");
        Assert.DoesNotContain("CSRF-1", page);
    }

    [Fact]
    public async Task LogoutNeedsTheTokenAndEndsTheSession()
    {
        var client = await factory.LoggedInAsync(OpsRoles.Operator);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/ops/logout", new FormUrlEncodedContent([]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ops/intake")).StatusCode);
        var token = await OpsHostFactory.AntiforgeryTokenAsync(client, "/ops/intake");
        var response = await client.PostAsync("/ops/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/ops/intake")).StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SessionCookieIsHttpOnlySameSiteStrictAndSecureOverHttps(bool https)
    {
        var client = factory.Client(https);
        var response = await OpsHostFactory.LoginAsync(client, OpsHostFactory.UserOfRole[OpsRoles.Operator], OpsHostFactory.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(OpsExtensions.CookieName + "=", StringComparison.Ordinal));
        var attributes = cookie.Split(';').Select(a => a.Trim().ToLowerInvariant()).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=strict", attributes);
        Assert.Contains("path=/", attributes);
        Assert.Equal(https, attributes.Contains("secure"));
        // A non-persistent session cookie: closing the browser ends it.
        Assert.DoesNotContain(attributes, a => a.StartsWith("expires=", StringComparison.Ordinal) || a.StartsWith("max-age=", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://evil.example/ops", "/ops")]
    [InlineData("//evil.example/ops", "/ops")]
    [InlineData("/ops/\\evil.example", "/ops")]
    [InlineData("/somewhere-else", "/ops")]
    [InlineData("/ops/intake?issue=MissingTurnout", "/ops/intake?issue=MissingTurnout")]
    // U+2215 DIVISION SLASH twice: a decoded return URL with raw Unicode was an invalid Location header (500).
    [InlineData("/ops/\u2215\u2215evil", "/ops/%E2%88%95%E2%88%95evil")]
    [InlineData("/ops/../evil", "/ops")]
    [InlineData("/ops//evil.example", "/ops")]
    [InlineData("/opsx", "/ops")]
    public async Task LoginRedirectsOnlyWithinTheOpsArea(string returnUrl, string expected)
    {
        var response = await OpsHostFactory.LoginAsync(factory.Client(), OpsHostFactory.UserOfRole[OpsRoles.Admin], OpsHostFactory.Password, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task OpsPagesAreNeverCached()
    {
        var client = await factory.LoggedInAsync(OpsRoles.Operator);
        var response = await client.GetAsync("/ops/intake");
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        // Scripts stay same-origin everywhere; only ops pages allow the inline styles of Blazor's virtualised grid.
        var csp = string.Join(';', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("style-src 'self' 'unsafe-inline'", csp);
        var publicCsp = string.Join(';', (await factory.Client().GetAsync("/")).Headers.GetValues("Content-Security-Policy"));
        Assert.DoesNotContain("unsafe-inline", publicCsp);
    }

    [Fact]
    public void HashPasswordCommandPrintsAHashThatVerifies()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = OpsPasswords.RunHashPasswordCommand(["hash-password"], new StringReader("a long enough password\n"), output, error);
        Assert.Equal(0, code);
        var hash = output.ToString().Trim();
        Assert.DoesNotContain("a long enough password", hash);
        Assert.True(OpsPasswords.Verify(hash, "a long enough password"));
        Assert.False(OpsPasswords.Verify(hash, "a long enough passworD"));
        Assert.Equal(2, OpsPasswords.RunHashPasswordCommand(["hash-password"], new StringReader("short\n"), output, error));
    }
}
