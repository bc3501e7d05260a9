using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains.Model;
using Portal.Tests.Live;

namespace Portal.Tests.Feeds;

/// <summary>
/// A station's feed after a real turnout report (signed, through the station API): it parses as Atom with an entry that
/// has what RFC 4287 requires, so the entry checks of <see cref="FeedsTests.AssertValidAtom"/> run on something.
/// </summary>
public sealed class StationFeedEntriesTests(LiveHostFactory factory) : IClassFixture<LiveHostFactory>
{
    private static readonly XNamespace Atom = FeedsTests.Atom;

    [Fact]
    public async Task AReportedTurnoutIsAnAtomEntryOfTheStationsFeed()
    {
        var station = factory.Services.GetRequiredService<ElectionCatalog>().Election.Stations[7];
        var response = await factory.Stations().PostTurnoutAsync(station.Id,
            new { submissionId = Guid.NewGuid().ToString(), asOf = DateTimeOffset.UtcNow, votersIssuedBallots = 271 });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var client = factory.CreateClient();
        XElement? entry = null;
        await Wait.UntilAsync(async () =>
        {
            var feed = XDocument.Parse(await client.GetStringAsync($"/stations/{station.Id}/feed.atom"));
            FeedsTests.AssertValidAtom(feed);
            entry = feed.Root!.Elements(Atom + "entry").FirstOrDefault(e => e.Element(Atom + "title")!.Value.Contains("271", StringComparison.Ordinal));
            return entry is not null;
        }, "the turnout report as an entry of the station's feed");
        Assert.StartsWith("urn:election:", entry!.Element(Atom + "id")!.Value);
        Assert.True(DateTimeOffset.TryParse(entry.Element(Atom + "updated")!.Value, System.Globalization.CultureInfo.InvariantCulture, out _));
        Assert.EndsWith($"/stations/{station.Id}", (string)entry.Element(Atom + "link")!.Attribute("href")!);
    }
}
