using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains.Model;
using Portal.Tests.Live;

namespace Portal.Tests.Sharing;

/// <summary>The widgets may be framed by any site and set no cookie; every other page still refuses frames.</summary>
public sealed class EmbedTests(LiveHostFactory factory) : IClassFixture<LiveHostFactory>
{
    private static string FrameAncestors(HttpResponseMessage response) =>
        response.Headers.GetValues("Content-Security-Policy").Single().Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("frame-ancestors"));

    [Fact]
    public async Task WidgetsMayBeFramedAndSetNoCookieWhileOtherPagesRefuseFrames()
    {
        var catalog = factory.Services.GetRequiredService<ElectionCatalog>();
        var station = catalog.Election.Stations[3];
        var contest = catalog.Election.Contests[0];
        var client = factory.CreateClient(new() { HandleCookies = false });
        foreach (var path in new[] { $"/embed/stations/{station.Id}?lang=ru", $"/embed/contests/{contest.Id}/constituencies/{station.Constituencies[contest.Id]}?lang=en" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("frame-ancestors *", FrameAncestors(response));
            Assert.False(response.Headers.Contains("X-Frame-Options"), path);
            Assert.False(response.Headers.Contains("Set-Cookie"), $"{path} set a cookie: {string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var c) ? c : [])}");
            Assert.Contains("data-live-topic", await response.Content.ReadAsStringAsync());
        }

        var page = await client.GetAsync($"/stations/{station.Id}?lang=ru");
        Assert.Equal("frame-ancestors 'none'", FrameAncestors(page));
        // The language link of an ordinary page still remembers the choice.
        Assert.True(page.Headers.Contains("Set-Cookie"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"/embed/stations/{station.Id}?lang=ru", html);
        Assert.Contains("&lt;iframe", html);
    }

    [Fact]
    public async Task AWidgetOfAnUnknownStationIsNotFound()
    {
        var response = await factory.CreateClient().GetAsync("/embed/stations/no-such-station");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
