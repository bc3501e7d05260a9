using Bunit;
using Portal.Components.Shared;

namespace Portal.Tests.Components;

public sealed class StationTableTests : ComponentTestContext
{
    private static readonly StationRow[] Rows =
    [
        new("1-0001", 1, "Maktab 1", 1000, 400, 40, "reported", null, null),
        new("1-0002", 2, "Maktab 2", 2000, null, null, "missing", null, null),
        new("1-0003", 3, "Maktab 3", 1500, 900, 60, "reported", null, null),
        new("1-0004", 4, "Maktab 4", 500, 100, 20, "invalidated", null, null),
    ];

    private IRenderedComponent<StationTable> RenderTable(string? sort, bool descending) =>
        Render<StationTable>(p => p.Add(c => c.Rows, Rows).Add(c => c.BaseUri, "/regions/tashkent-city")
            .Add(c => c.Sort, sort).Add(c => c.Descending, descending));

    private static string[] Order(IRenderedComponent<StationTable> cut) =>
        [.. cut.FindAll("tbody tr").Select(r => r.GetAttribute("data-station")!)];

    [Fact]
    public void SortsByNumberUnlessToldOtherwise() =>
        Assert.Equal(["1-0001", "1-0002", "1-0003", "1-0004"], Order(RenderTable(null, false)));

    [Fact]
    public void SortsByTurnoutEitherWayWithUnreportedStationsLast()
    {
        Assert.Equal(["1-0003", "1-0001", "1-0004", "1-0002"], Order(RenderTable("turnout", true)));
        Assert.Equal(["1-0004", "1-0001", "1-0003", "1-0002"], Order(RenderTable("turnout", false)));
    }

    [Fact]
    public void SortsByListSize() =>
        Assert.Equal(["1-0002", "1-0003", "1-0001", "1-0004"], Order(RenderTable("voters", true)));

    [Fact]
    public void HeaderLinksToggleTheDirectionAndMarkTheSortedColumn()
    {
        var cut = RenderTable("turnout", true);
        var turnout = cut.Find("th[data-sort-key=turnout]");
        Assert.Equal("descending", turnout.GetAttribute("aria-sort"));
        Assert.Equal("/regions/tashkent-city?sort=turnout&dir=asc#stations", turnout.QuerySelector("a")!.GetAttribute("href"));
        var number = cut.Find("th[data-sort-key=number]");
        Assert.Null(number.GetAttribute("aria-sort"));
        Assert.Equal("/regions/tashkent-city?sort=number&dir=asc#stations", number.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public void AnUnknownSortKeyFallsBackToNumbers() =>
        Assert.Equal(["1-0001", "1-0002", "1-0003", "1-0004"], Order(RenderTable("<script>", false)));

    [Fact]
    public void ResultColumnsAppearOnlyWhenResultsArePublic()
    {
        var cut = RenderTable(null, false);
        Assert.Empty(cut.FindAll("th[data-sort-key=ballots]"));
        Assert.Equal("—", cut.Find("tr[data-station='1-0002'] td[data-field=turnout]").TextContent);
        Assert.Equal("Bayonnoma yoʻq", cut.Find("tr[data-station='1-0002'] td[data-field=status]").TextContent);
    }
}
