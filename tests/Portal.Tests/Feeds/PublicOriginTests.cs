using System.Xml.Linq;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains.Model;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Feeds;

/// <summary>A portal that knows its public address (PublicWeb:PublicOrigin), whatever Host a request names.</summary>
public sealed class PublicOriginHostFactory() : InMemoryPortalFactory("portal-origin-")
{
    public const string Origin = "https://saylov.example";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Demo:Stations", "30");
        builder.UseSetting("Simulator:Enabled", "false");
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Demo:ActiveCameraStations", "0");
        builder.UseSetting("Search:IndexPath", Path.Combine(DataDir, "search"));
        builder.UseSetting("PublicWeb:PublicOrigin", Origin + "/");
    }
}

/// <summary>
/// With a public origin, what leaves the site is absolute at that origin, never at the request's Host: the sitemap's
/// addresses (the sitemap protocol wants them absolute), the feeds' links, and the embed code written by the server
/// (no script needed).
/// </summary>
public sealed class PublicOriginTests(PublicOriginHostFactory factory) : IClassFixture<PublicOriginHostFactory>
{
    private const string Origin = PublicOriginHostFactory.Origin;

    private HttpClient Client()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Host = "attacker.example";
        return client;
    }

    [Fact]
    public async Task SitemapAddressesAreAbsoluteAtThePublicOrigin()
    {
        XNamespace sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var sitemap = XDocument.Parse(await Client().GetStringAsync("/sitemap.xml"));
        var locs = sitemap.Root!.Elements(sm + "url").Select(u => u.Element(sm + "loc")!.Value).ToList();
        Assert.NotEmpty(locs);
        Assert.All(locs, l => Assert.StartsWith(Origin + "/", l));
        Assert.Contains(Origin + "/", locs);
        var station = factory.Services.GetRequiredService<ElectionCatalog>().Election.Stations[0];
        Assert.Contains($"{Origin}/stations/{station.Id}", locs);
    }

    [Fact]
    public async Task FeedsLinkAbsolutelyAtThePublicOrigin()
    {
        var station = factory.Services.GetRequiredService<ElectionCatalog>().Election.Stations[1];
        foreach (var path in new[] { "/feeds/decisions.atom", $"/stations/{station.Id}/feed.atom" })
        {
            var feed = XDocument.Parse(await Client().GetStringAsync(path));
            FeedsTests.AssertValidAtom(feed);
            var links = feed.Descendants(FeedsTests.Atom + "link").Select(l => (string)l.Attribute("href")!).ToList();
            Assert.NotEmpty(links);
            Assert.All(links, l => Assert.StartsWith(Origin + "/", l));
            Assert.Contains(Origin + path, links);
        }
    }

    [Fact]
    public async Task TheStationPagesEmbedCodeIsAbsoluteWithoutAScript()
    {
        var station = factory.Services.GetRequiredService<ElectionCatalog>().Election.Stations[2];
        var document = new HtmlParser().ParseDocument(await Client().GetStringAsync($"/stations/{station.Id}?lang=ru"));
        var code = document.QuerySelector("textarea[data-embed-code]")!.TextContent.Trim();
        Assert.Equal($"{Origin}/embed/stations/{station.Id}?lang=ru", (string?)XElement.Parse(code).Attribute("src"));
        Assert.DoesNotContain("attacker.example", document.DocumentElement.OuterHtml);
    }
}
