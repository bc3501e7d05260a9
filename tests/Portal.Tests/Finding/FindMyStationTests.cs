using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains.Model;

namespace Portal.Tests.Finding;

/// <summary>Finding one's own station: the home page's search box, the phrasings of a number, a region page's filter.</summary>
public sealed partial class FindMyStationTests(PortalHostFactory factory) : IClassFixture<PortalHostFactory>
{
    private ElectionCatalog Catalog => factory.Services.GetRequiredService<ElectionCatalog>();

    [Fact]
    public async Task HomePageHasASearchBoxThatSearchesEverything()
    {
        var html = await factory.CreateClient().GetStringAsync("/");
        var form = FinderForm().Match(html);
        Assert.True(form.Success, "no search form on the home page");
        Assert.Contains("name=\"q\"", form.Value);
        Assert.DoesNotContain("name=\"type\"", form.Value);
        Assert.Contains("href=\"/cameras\"", html);
    }

    [Theory]
    [InlineData("{0}")]
    [InlineData("uchastka {0}")]
    [InlineData("{0}-uchastka")]
    [InlineData("участок {0}")]
    [InlineData("{0}-сон участка")]
    public async Task ANumberPhrasedAnyWayFindsThatStationFirst(string phrasing)
    {
        var station = Catalog.Stations.First(s => s.Number == 183);
        var query = string.Format(System.Globalization.CultureInfo.InvariantCulture, phrasing, station.Number);
        var client = factory.CreateClient();
        // The index is built in the background at start.
        var (first, _) = await Wait.ProbeAsync(async () =>
        {
            var html = await client.GetStringAsync("/search?q=" + Uri.EscapeDataString(query));
            return FirstHit().Match(html) is { Success: true } m ? m.Groups[1].Value : null;
        }, hit => hit is not null, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500));
        Assert.Equal($"/stations/{station.Id}", first);
    }

    [Theory]
    [InlineData("Bog'bon ko'chasi")]
    [InlineData("Bog`bon ko`chasi")]
    [InlineData("Bog\u2018bon ko\u2019chasi")]
    [InlineData("Bogʻbon koʻchasi")]
    [InlineData("Bogbon kochasi")]
    public void TheRegionFilterFindsAnAddressHoweverItsApostrophesAreTyped(string typed)
    {
        var station = new StationDefinition { Id = "1-0001", Number = 1, Address = "Nukus, Bogʻbon koʻchasi, 3-uy, 3-kollej" };
        Assert.True(Portal.Components.Shared.Finding.StationFilters.Matches(station, typed, withCamera: false));
        Assert.False(Portal.Components.Shared.Finding.StationFilters.Matches(station, "Navroʻz koʻchasi", withCamera: false));
    }

    [Fact]
    public async Task RegionFilterNarrowsTheTableByNumberLocalityAndCamera()
    {
        var region = Catalog.Election.Regions.First(r => Catalog.Stations.Count(s => s.RegionId == r.Id) >= 5);
        var stations = Catalog.Stations.Where(s => s.RegionId == region.Id).ToList();
        var client = factory.CreateClient();
        async Task<List<string>> Rows(string query) =>
            [.. StationRow().Matches(await client.GetStringAsync($"/regions/{region.Id}{query}")).Select(m => m.Groups[1].Value)];

        Assert.Equal(stations.Count, (await Rows("")).Count);
        var target = stations[3];
        Assert.Equal([target.Id], await Rows("?find=" + Uri.EscapeDataString($"uchastka {target.Number}")));
        Assert.Equal([target.Id], await Rows("?find=" + target.Number));

        var locality = target.Address.Split(',')[0];
        var inLocality = stations.Where(s => s.Address.StartsWith(locality + ",", StringComparison.Ordinal)).Select(s => s.Id).Order().ToList();
        Assert.Equal(inLocality, (await Rows("?find=" + Uri.EscapeDataString(locality))).Order());
        // The same locality typed in Cyrillic.
        var cyrillic = target.AddressForms!["uz-Cyrl"].Split(',')[0];
        Assert.Equal(inLocality, (await Rows("?find=" + Uri.EscapeDataString(cyrillic))).Order());

        // No camera is on in this host's demo.
        Assert.Empty(await Rows("?camera=1"));
        // Sorting keeps the filter.
        var sorted = await client.GetStringAsync($"/regions/{region.Id}?find={Uri.EscapeDataString(locality)}");
        Assert.Contains("?find=" + Uri.EscapeDataString(locality) + "&amp;sort=", sorted);
    }

    [GeneratedRegex("<section class=\"station-finder\"[\\s\\S]*?</form>")]
    private static partial Regex FinderForm();

    [GeneratedRegex("<li class=\"search-hit\"[^>]*>\\s*<a href=\"([^\"]+)\"")]
    private static partial Regex FirstHit();

    [GeneratedRegex("<tr data-station=\"([^\"]+)\"")]
    private static partial Regex StationRow();
}
