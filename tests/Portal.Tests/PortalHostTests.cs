using System.Net;
using Microsoft.AspNetCore.Hosting;
using Portal.Tests.Infrastructure;

namespace Portal.Tests;

/// <summary>The real host in memory with a small demo election: pages, health and metrics over HTTP.</summary>
public sealed class PortalHostFactory() : InMemoryPortalFactory("portal-host-")
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Demo:Stations", "200");
        // The demo would otherwise play an accelerated day with its simulator: these tests drive time and submissions themselves.
        builder.UseSetting("Simulator:Enabled", "false");
        builder.UseSetting("Demo:Enabled", builder.GetSetting("Demo:Enabled") ?? "false");
        builder.UseSetting("Demo:ActiveCameraStations", "0");
        builder.UseSetting("Search:IndexPath", Path.Combine(DataDir, "search"));
    }
}

public sealed class PortalHostTests(PortalHostFactory factory) : IClassFixture<PortalHostFactory>
{
    [Fact]
    public async Task HomePageShowsTheElectionAndItsRegions()
    {
        var html = await factory.CreateClient().GetStringAsync("/");
        Assert.Contains("Qonunchilik palatasi", html);
        foreach (var region in new[] { "Qoraqalpogʻiston Respublikasi", "Toshkent shahri", "Samarqand viloyati", "Xorazm viloyati" })
            Assert.Contains(region, html);
        Assert.Equal(14, System.Text.RegularExpressions.Regex.Count(html, "data-region="));
    }

    [Fact]
    public async Task HealthReportsSiloAndStorage()
    {
        var response = await factory.CreateClient().GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"silo\"", body);
        Assert.Contains("\"storage\"", body);
    }

    [Fact]
    public async Task ReadinessNamesTheChecksButNoInternals()
    {
        var body = await factory.CreateClient().GetStringAsync("/healthz/ready");
        Assert.DoesNotContain("description", body);
        Assert.DoesNotContain("election grain on", body);
    }

    [Fact]
    public async Task DemoKeysAreWrittenAndNeverServed()
    {
        var client = factory.CreateClient();
        Assert.True(File.Exists(Path.Combine(factory.DataDir, "demo", "station-private-keys.csv")));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/demo/station-private-keys.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/data/demo/station-private-keys.csv")).StatusCode);
    }
}

public sealed class NotFoundTests(PortalHostFactory factory) : IClassFixture<PortalHostFactory>
{
    [Fact]
    public async Task PeopleGetAnHtmlNotFoundPageWithStatus404()
    {
        var response = await factory.CreateClient().GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/hls/cam-no-such-camera/live.m3u8")]
    [InlineData("/api/v1/elections/no-such-election")]
    [InlineData("/api/v1/no-such-endpoint")]
    public async Task PlayersAndApiClientsGetABare404NotAPage(string path)
    {
        var response = await factory.CreateClient().GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
