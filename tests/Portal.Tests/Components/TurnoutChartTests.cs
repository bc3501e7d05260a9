using System.Globalization;
using Bunit;
using Portal.Components.Shared;

namespace Portal.Tests.Components;

public sealed class TurnoutChartTests : ComponentTestContext
{
    [Fact]
    public void DrawsOnePointPerReportPlacedByTimeAndShare()
    {
        ChartPoint[] points = [new(Open, 0), new(Open.AddHours(2), 20), new(Open.AddHours(6), 50), new(Close, 75)];
        var cut = Render<TurnoutChart>(p => p.Add(c => c.Points, points).Add(c => c.From, Open).Add(c => c.To, Close).Add(c => c.Zone, Tashkent));

        var circles = cut.FindAll("circle.dot");
        Assert.Equal(4, circles.Count);
        var polyline = cut.Find("polyline.line").GetAttribute("points")!.Split(' ');
        Assert.Equal(4, polyline.Length);
        double X(int i) => double.Parse(circles[i].GetAttribute("cx")!, CultureInfo.InvariantCulture);
        double Y(int i) => double.Parse(circles[i].GetAttribute("cy")!, CultureInfo.InvariantCulture);
        Assert.Equal(TurnoutChart.Left, X(0), 1);
        Assert.Equal(TurnoutChart.Width - TurnoutChart.Right, X(3), 1);
        Assert.Equal((X(0) + X(3)) / 2, X(2), 1); // 14:00 is half way from 08:00 to 20:00
        Assert.Equal(TurnoutChart.Y(50), Y(2), 1);
        Assert.True(Y(1) > Y(2) && Y(2) > Y(3), "a higher share is drawn higher");
    }

    [Fact]
    public void TimesAreInTheElectionTimeZoneAndTheDataIsAlsoATable()
    {
        // The points are given in UTC; the axis and the table speak Tashkent time.
        ChartPoint[] points = [new(Open.ToUniversalTime(), 0), new(Open.AddHours(2).ToUniversalTime(), 12.5)];
        var cut = Render<TurnoutChart>(p => p.Add(c => c.Points, points).Add(c => c.From, Open).Add(c => c.To, Close).Add(c => c.Zone, Tashkent));

        var ticks = cut.FindAll("g.x-tick text").Select(t => t.TextContent).ToList();
        Assert.Equal(["08:00", "10:00", "12:00", "14:00", "16:00", "18:00", "20:00"], ticks);
        var rows = cut.FindAll(".chart-data tbody tr");
        Assert.Equal("10:00", rows[1].QuerySelector("td")!.TextContent);
        Assert.Contains("12,5", rows[1].QuerySelectorAll("td")[1].TextContent);
    }

    [Fact]
    public void WithoutPointsItSaysNothingWasReportedInTheUiLanguage()
    {
        var cut = Render<TurnoutChart>(p => p.Add(c => c.Points, []).Add(c => c.From, Open).Add(c => c.To, Close).Add(c => c.Zone, Tashkent));
        // The empty chart's frame is there for live updates to draw into, hidden: no line, no dot, no row.
        Assert.True(cut.Find("[data-chart-body]").HasAttribute("hidden"));
        Assert.Empty(cut.FindAll("circle.dot"));
        Assert.Empty(cut.FindAll(".chart-data tbody tr"));
        Assert.False(cut.Find(".not-yet").HasAttribute("hidden"));
        Assert.Equal("Hali maʼlumot yoʻq", cut.Find(".not-yet").TextContent);
    }
}
