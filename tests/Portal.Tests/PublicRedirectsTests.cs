using Microsoft.AspNetCore.Http;
using Portal.Extensions;

namespace Portal.Tests;

public sealed class PublicRedirectsTests
{
    [Theory]
    // The request's own host (whatever the client sent as Host): relative, or the configured public origin.
    [InlineData("http://evil.example/ops/login?ReturnUrl=%2Fops", "evil.example", null, "/ops/login?ReturnUrl=%2Fops")]
    [InlineData("http://evil.example:8080/ops/login", "evil.example:8080", null, "/ops/login")]
    [InlineData("http://evil.example/ops/login?ReturnUrl=%2Fops", "evil.example", "https://saylov.example", "https://saylov.example/ops/login?ReturnUrl=%2Fops")]
    // Relative ones stay, made valid header values when they are not.
    [InlineData("/ops/intake?issue=MissingTurnout", "localhost", null, "/ops/intake?issue=MissingTurnout")]
    [InlineData("/ops/\u2215\u2215evil", "localhost", null, "/ops/%E2%88%95%E2%88%95evil")]
    // Another site is kept (the portal sends none), encoded.
    [InlineData("https://other.example/x", "localhost", null, "https://other.example/x")]
    public void ALocationNeverCarriesTheRequestsHost(string location, string host, string? origin, string expected) =>
        Assert.Equal(expected, PublicRedirects.Rewrite(location, new HostString(host), origin));
}
