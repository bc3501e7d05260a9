using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains.Model;
using Portal.Ingest.Decisions;

namespace Portal.Tests.Feeds;

/// <summary>The Atom feeds and the sitemap parse, carry what RFC 4287 requires, and list what they promise.</summary>
public sealed class FeedsTests(PortalHostFactory factory) : IClassFixture<PortalHostFactory>
{
    internal static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    internal static void AssertValidAtom(XDocument feed)
    {
        var root = feed.Root!;
        Assert.Equal(Atom + "feed", root.Name);
        foreach (var required in new[] { "id", "title", "updated" })
            Assert.False(string.IsNullOrWhiteSpace(root.Element(Atom + required)?.Value), $"feed without {required}");
        Assert.NotNull(root.Element(Atom + "author")?.Element(Atom + "name"));
        Assert.True(DateTimeOffset.TryParse(root.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture, out _));
        var ids = new HashSet<string>();
        foreach (var entry in root.Elements(Atom + "entry"))
        {
            foreach (var required in new[] { "id", "title", "updated" })
                Assert.False(string.IsNullOrWhiteSpace(entry.Element(Atom + required)?.Value), $"entry without {required}");
            Assert.True(Uri.TryCreate(entry.Element(Atom + "id")!.Value, UriKind.Absolute, out _), "entry id is not an IRI");
            Assert.True(ids.Add(entry.Element(Atom + "id")!.Value), "duplicate entry id");
            Assert.NotNull(entry.Elements(Atom + "link").SingleOrDefault(l => (string?)l.Attribute("rel") == "alternate")?.Attribute("href"));
        }
    }

    [Fact]
    public async Task DecisionsFeedIsAtomWithEveryPublishedDecision()
    {
        var response = await factory.CreateClient().GetAsync("/feeds/decisions.atom");
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType?.MediaType);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync());
        AssertValidAtom(feed);
        var decisions = await factory.Services.GetRequiredService<IDecisionArchive>().ListAsync(CancellationToken.None);
        Assert.NotEmpty(decisions);
        var links = feed.Root!.Elements(Atom + "entry").Select(e => (string)e.Element(Atom + "link")!.Attribute("href")!).ToList();
        Assert.Equal(Math.Min(200, decisions.Count), links.Count);
        Assert.All(links, l => Assert.StartsWith("/decisions/", l));
    }

    [Fact]
    public async Task StationFeedIsAtomWithItsTurnoutReportsAndAnUnknownStationIsNotFound()
    {
        var catalog = factory.Services.GetRequiredService<ElectionCatalog>();
        var station = catalog.Election.Stations[5];
        var client = factory.CreateClient();
        var feed = XDocument.Parse(await client.GetStringAsync($"/stations/{station.Id}/feed.atom"));
        AssertValidAtom(feed);
        Assert.Contains(station.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), feed.Root!.Element(Atom + "title")!.Value);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/stations/no-such-station/feed.atom")).StatusCode);
    }

    [Fact]
    public async Task SitemapListsEveryStationAndRegion()
    {
        var catalog = factory.Services.GetRequiredService<ElectionCatalog>();
        XNamespace sm = "http://www.sitemaps.org/schemas/sitemap/0.9";
        var sitemap = XDocument.Parse(await factory.CreateClient().GetStringAsync("/sitemap.xml"));
        var locs = sitemap.Root!.Elements(sm + "url").Select(u => u.Element(sm + "loc")!.Value).ToHashSet();
        Assert.Contains("/", locs);
        Assert.All(catalog.Election.Stations, s => Assert.Contains($"/stations/{s.Id}", locs));
        Assert.All(catalog.Election.Regions, r => Assert.Contains($"/regions/{r.Id}", locs));
    }
}
