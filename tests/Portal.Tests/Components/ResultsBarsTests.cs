using Bunit;
using Portal.Components.Shared;

namespace Portal.Tests.Components;

public sealed class ResultsBarsTests : ComponentTestContext
{
    private static readonly BarItem[] Items =
    [
        new("c-2", "Karimova Dilnoza", "UzLiDeP", 300),
        new("c-1", "Aliyev Akmal", "Milliy tiklanish", 600),
        new("c-3", "Toshmatov Bobur", null, 88),
    ];

    [Fact]
    public void BarsAreOrderedByVotesAndScaledToTheBallotsInTheBoxes()
    {
        UseCulture("en");
        var cut = Render<ResultsBars>(p => p.Add(c => c.Items, Items).Add(c => c.Basis, 1000).Add(c => c.Highlight, "c-1"));

        var rows = cut.FindAll("li[data-candidate]");
        Assert.Equal(["c-1", "c-2", "c-3"], rows.Select(r => r.GetAttribute("data-candidate")));
        Assert.Equal(["60", "30", "8.8"], rows.Select(r => r.QuerySelector("rect.fill")!.GetAttribute("width")));
        Assert.Equal("60.0%", rows[0].QuerySelector(".share")!.TextContent.Trim());
        Assert.Equal("600", rows[0].QuerySelector(".votes")!.TextContent.Trim());
        Assert.Contains("highlight", rows[0].ClassList);
        Assert.DoesNotContain("highlight", rows[1].ClassList);
        Assert.Contains("1,000", cut.Find(".basis").TextContent);
    }

    [Fact]
    public void NumbersFollowTheUiCulture()
    {
        UseCulture("ru");
        var cut = Render<ResultsBars>(p => p.Add(c => c.Items, [new BarItem("c-1", "A", null, 12345)]).Add(c => c.Basis, 20000));
        // Russian groups thousands with a (narrow) no-break space and writes a decimal comma.
        var votes = cut.Find(".votes").TextContent.Trim();
        Assert.Matches(@"^12\s345$", votes);
        Assert.Contains("61,7", cut.Find(".share").TextContent);
    }

    [Fact]
    public void AnEmptyBasisDrawsEmptyBarsInsteadOfFailing()
    {
        var cut = Render<ResultsBars>(p => p.Add(c => c.Items, Items).Add(c => c.Basis, 0));
        Assert.All(cut.FindAll("rect.fill"), r => Assert.Equal("0", r.GetAttribute("width")));
    }
}
