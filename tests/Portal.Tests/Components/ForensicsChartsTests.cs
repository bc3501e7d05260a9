using System.Globalization;
using System.Text.RegularExpressions;
using Bunit;
using Portal.Components.Shared;
using Portal.Components.Shared.Forensics;
using Portal.Grains.Abstractions;
using Portal.Grains.Forensics;

namespace Portal.Tests.Components;

public sealed partial class ForensicsChartsTests : ComponentTestContext
{
    [GeneratedRegex(@"M([\d.]+),([\d.]+)h([\d.]+)v([\d.]+)h-[\d.]+z")]
    private static partial Regex Cell();

    [Fact]
    public void FingerprintDrawsEachCellWhereItsBinsAreWithAShadeByItsStations()
    {
        long[][] cells = [[60, 45, 1, 900], [61, 45, 3, 2500], [97, 96, 20, 38000]];
        var cut = Render<FingerprintChart>(p => p.Add(c => c.Cells, cells).Add(c => c.Caption, "fp"));

        var single = Cell().Match(cut.Find("path.shade-0").GetAttribute("d")!);
        Assert.Equal(FingerprintChart.X(60), double.Parse(single.Groups[1].Value, CultureInfo.InvariantCulture), 1);
        Assert.Equal(FingerprintChart.Y(46), double.Parse(single.Groups[2].Value, CultureInfo.InvariantCulture), 1); // the cell's top edge is 46 %
        Assert.Equal(FingerprintChart.Plot / 100, double.Parse(single.Groups[3].Value, CultureInfo.InvariantCulture), 1);
        Assert.Single(Cell().Matches(cut.Find("path.shade-1").GetAttribute("d")!));  // 3 stations: 2-3
        Assert.Single(Cell().Matches(cut.Find("path.shade-4").GetAttribute("d")!));  // 20 stations: 16+
        Assert.Empty(cut.FindAll("path.shade-2"));
        // The corner of stuffing is framed and counted in words (the chart's text alternative).
        Assert.NotNull(cut.Find("rect.corner"));
        Assert.Contains("20", cut.Find("[data-testid=fingerprint-corner]").TextContent);
        Assert.Contains("24", cut.Find("[data-testid=fingerprint-corner]").TextContent);
    }

    [Fact]
    public void HistogramDrawsWholePercentBinsApartSoTheirSpikesShow()
    {
        var counts = new int[1000];
        counts[650] = 12;   // 65.0-65.1 %: a whole-percentage bin
        counts[653] = 3;
        counts[1000 - 1] = 6; // 100 % falls in the last bin
        var cut = Render<PercentHistogram>(p => p.Add(c => c.Counts, counts).Add(c => c.Caption, "t"));

        var whole = cut.Find("path.bars.whole").GetAttribute("d")!;
        var other = cut.Find("path.bars.other").GetAttribute("d")!;
        Assert.Single(Regex.Matches(whole, "M"));
        Assert.Equal(2, Regex.Matches(other, "M").Count);
        // The tallest bar reaches the top; a bar of 3 reaches a quarter of the height.
        var tall = Regex.Match(whole, @"V([\d.]+)");
        Assert.Equal(PercentHistogram.Top, double.Parse(tall.Groups[1].Value, CultureInfo.InvariantCulture), 1);
        var small = Regex.Matches(other, @"V([\d.]+)")[0];
        Assert.Equal(PercentHistogram.Base - (PercentHistogram.Base - PercentHistogram.Top) / 4, double.Parse(small.Groups[1].Value, CultureInfo.InvariantCulture), 1);
        Assert.Equal(11, cut.FindAll("g.ticks").Count);
    }

    [Fact]
    public void LastDigitBarsAreSharesWithTheUniformLineAndATable()
    {
        var test = new LastDigitTest(1000, [200, 80, 80, 80, 80, 160, 80, 80, 80, 80], 150.4, 1e-27);
        var cut = Render<LastDigitChart>(p => p.Add(c => c.Test, test).Add(c => c.Caption, "d"));

        var bars = cut.FindAll("rect.bar");
        Assert.Equal(10, bars.Count);
        double Height(int d) => double.Parse(bars[d].GetAttribute("height")!, CultureInfo.InvariantCulture);
        Assert.Equal(2.5, Height(0) / Height(1), 2);
        Assert.Equal(2, Height(5) / Height(1), 2);
        var uniform = double.Parse(cut.Find("line.uniform").GetAttribute("y1")!, CultureInfo.InvariantCulture);
        Assert.Equal(LastDigitChart.Base - Height(1) * 10 / 8, uniform, 1); // 10 % line: 8 % bars are 4/5 of its height
        var rows = cut.FindAll(".chart-data tbody tr");
        Assert.Equal(10, rows.Count);
        Assert.Contains("20,0", rows[0].QuerySelectorAll("td")[2].TextContent);
    }

    [Fact]
    public void FlaggedStationsSortByFlagsThenLinkToEachStationInTheUiLanguage()
    {
        UseCulture("ru");
        StationFlag[] flags =
        [
            new("1-0003", [FlagCodes.IntegerTurnout], 3, "1", 62, 40, 1),
            new("1-0007", [FlagCodes.TurnoutOver95, FlagCodes.LeaderOver90, FlagCodes.TurnoutJump], 7, "1", 98.2, 97.1, 1),
            new("1-0001", [FlagCodes.Corrected], 1, "1", 55, 41, 2),
        ];
        var cut = Render<FlaggedStations>(p => p.Add(c => c.Flags, flags).Add(c => c.BaseUri, "/statistics/legislative?region=r").Add(c => c.ShowFigures, true));

        Assert.Equal(["1-0007", "1-0001", "1-0003"], cut.FindAll("tbody tr").Select(r => r.GetAttribute("data-station")));
        Assert.Equal("/stations/1-0007", cut.Find("tbody tr a").GetAttribute("href"));
        Assert.Equal("явка выше 95 %", cut.Find("tbody tr li[data-code=turnout-over-95]").TextContent);
        var turnoutLink = cut.FindAll("thead a")[1].GetAttribute("href")!;
        Assert.Equal("/statistics/legislative?region=r&sort=turnout&dir=desc#flags", turnoutLink);

        var byTurnout = Render<FlaggedStations>(p => p.Add(c => c.Flags, flags).Add(c => c.BaseUri, "/statistics").Add(c => c.ShowFigures, true)
            .Add(c => c.Sort, "turnout").Add(c => c.Descending, false));
        Assert.Equal(["1-0001", "1-0003", "1-0007"], byTurnout.FindAll("tbody tr").Select(r => r.GetAttribute("data-station")));
    }

    [Fact]
    public void BeforeCloseTheFlaggedTableHasNoFigureColumns()
    {
        StationFlag[] flags = [new("1-0002", [FlagCodes.TurnoutJump], 2, "1", null, null, null)];
        var cut = Render<FlaggedStations>(p => p.Add(c => c.Flags, flags).Add(c => c.BaseUri, "/statistics").Add(c => c.ShowFigures, false));
        Assert.Equal(2, cut.FindAll("thead th").Count);
        Assert.DoesNotContain("%", cut.Find("tbody").TextContent);
    }

    [Theory]
    [InlineData("uz-Latn", "video sanogʻi rasmiydan past")]
    [InlineData("uz-Cyrl", "видео саноғи расмийдан паст")]
    [InlineData("ru", "подсчёт по видео ниже официального")]
    [InlineData("en", "video count below official")]
    public void EveryFlagCodeIsNamedInEachLanguage(string culture, string videoCountLabel)
    {
        UseCulture(culture);
        StationFlag[] flags = [new("1-0002", FlagCodes.All, 2, "1", null, null, null)];
        var cut = Render<FlaggedStations>(p => p.Add(c => c.Flags, flags).Add(c => c.BaseUri, "/statistics").Add(c => c.ShowFigures, false));
        var labels = cut.FindAll("li.code").ToDictionary(li => li.GetAttribute("data-code")!, li => li.TextContent.Trim());
        Assert.Equal(FlagCodes.All.Order(), labels.Keys.Order());
        // A missing resource would show its key.
        Assert.All(labels, kv => Assert.DoesNotContain("Flag.", kv.Value));
        Assert.Equal(videoCountLabel, labels[FlagCodes.VideoCountBelowOfficial]);
    }

    [Fact]
    public void TurnoutChartShadesCameraOutagesAndMarksTheLongOnes()
    {
        ChartPoint[] points = [new(Open, 0), new(Open.AddHours(4), 30)];
        OutageBand[] outages = [new(Open.AddHours(3), Open.AddHours(3).AddMinutes(5), 1, false), new(Open.AddHours(6), Open.AddHours(6).AddMinutes(15), 2, true)];
        var cut = Render<TurnoutChart>(p => p.Add(c => c.Points, points).Add(c => c.From, Open).Add(c => c.To, Close).Add(c => c.Zone, Tashkent)
            .Add(c => c.Outages, outages));
        var bands = cut.FindAll("rect.outage");
        Assert.Equal(2, bands.Count);
        Assert.Contains("long", bands[1].ClassList);
        Assert.DoesNotContain("long", bands[0].ClassList);
        Assert.Contains("14:00–14:15", bands[1].QuerySelector("title")!.TextContent);
    }
}
