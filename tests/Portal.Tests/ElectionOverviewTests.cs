using Bunit;
using Portal.Tests.Components;
using Portal.Components.Shared;
using Portal.Grains.Abstractions;

namespace Portal.Tests;

public sealed class ElectionOverviewTests : ComponentTestContext
{
    private static ElectionSummary Summary() => new(
        "uz-2024-10-27",
        new Dictionary<string, string> { ["uz"] = "Oliy Majlis saylovi", ["en"] = "Oliy Majlis election" },
        "Asia/Tashkent",
        new DateTimeOffset(2024, 10, 27, 8, 0, 0, TimeSpan.FromHours(5)),
        new DateTimeOffset(2024, 10, 27, 20, 0, 0, TimeSpan.FromHours(5)),
        [new ContestSummary("legislative", "legislative", new Dictionary<string, string> { ["uz"] = "Qonunchilik palatasi" }, 150)],
        [
            new RegionSummary("tashkent-city", new Dictionary<string, string> { ["uz"] = "Toshkent shahri", ["ru"] = "город Ташкент" }, 120, 200_000),
            new RegionSummary("karakalpakstan", new Dictionary<string, string> { ["uz"] = "Qoraqalpog'iston Respublikasi" }, 80, 120_000),
        ],
        200, 320_000, "S127.0.0.1:11111:1");

    [Fact]
    public void ShowsTheElectionNameContestsAndRegionsWithStationCounts()
    {
        var cut = Render<ElectionOverview>(p => p.Add(c => c.Summary, Summary()));
        Assert.Equal("Oliy Majlis saylovi", cut.Find("h1").TextContent);
        Assert.Contains("Qonunchilik palatasi", cut.Find("[data-contest=legislative]").TextContent);
        var rows = cut.FindAll("table.regions tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Equal("Toshkent shahri", rows[0].QuerySelector("th")!.TextContent);
        Assert.Equal("/regions/tashkent-city", rows[0].QuerySelector("a")!.GetAttribute("href"));
        Assert.Contains("120", rows[0].QuerySelectorAll("td")[0].TextContent);
    }

    [Fact]
    public void ShowsPollingHoursInTheElectionTimeZone()
    {
        var cut = Render<ElectionOverview>(p => p.Add(c => c.Summary, Summary()));
        var times = cut.FindAll("p.polls time");
        Assert.Contains("08:00", times[0].TextContent);
        Assert.Contains("20:00", times[1].TextContent);
    }
}
