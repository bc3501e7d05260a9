using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Shared;
using Portal.Grains.Abstractions;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.Grains.Results;

namespace Portal.Tests.Components;

public sealed class ProtocolVersionsTests : ComponentTestContext
{
    private static readonly ElectionCatalog Catalog =
        new(DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = 10, ActiveCameraStations = 0, ElectionDay = new(2024, 10, 27) }), []);

    public ProtocolVersionsTests() => Services.AddSingleton(new ElectionClock(Catalog));
    private static readonly CandidateInfo[] Candidates =
    [
        new("c-1-1", "Aliyev Akmal", new Dictionary<string, string> { ["uz-Cyrl"] = "Алиев Акмал" }, "p1"),
        new("c-1-2", "Karimova Dilnoza", new Dictionary<string, string>(), "p2"),
    ];

    private static ProtocolSubmission Figures(string id, int inBoxes, int invalid, int v1, int v2, int unused, string? supersedes = null, string? reason = null) =>
        new(id, "legislative", 1853, 1900, 1420, inBoxes, invalid, 3, unused,
            new Dictionary<string, int> { ["c-1-1"] = v1, ["c-1-2"] = v2 }, supersedes, reason);

    private static ProtocolVersionView View(int version, ProtocolSubmission? figures, bool latest, string? supersedes = null, string? reason = null) =>
        new("legislative", version, $"sub-{version}", supersedes, reason, 40 + version, new string((char)('a' + version), 64),
            new DateTimeOffset(2024, 10, 27, 16, 30 + version, 0, TimeSpan.Zero), latest, figures);

    [Fact]
    public void ACorrectionShowsExactlyTheFiguresItChangedAndWhy()
    {
        var v1 = Figures("sub-1", 1418, 12, 800, 606, 477);
        var v2 = Figures("sub-2", 1418, 10, 802, 606, 477, "sub-1", "Two ballots counted as invalid were valid");
        var cut = Render<ProtocolVersions>(p => p.Add(c => c.ContestId, "legislative")
            .Add(c => c.Versions, [View(2, v2, true, "sub-1", v2.Reason), View(1, v1, false)])
            .Add(c => c.Candidates, Candidates).Add(c => c.Zone, Tashkent));

        var versions = cut.FindAll("li.protocol-version");
        Assert.Equal(["1", "2"], versions.Select(v => v.GetAttribute("data-version")));
        Assert.Empty(versions[0].QuerySelectorAll("table.changes"));
        var changes = versions[1].QuerySelectorAll("table.changes tbody tr");
        Assert.Equal(["invalidBallots", "c-1-1"], changes.Select(r => r.GetAttribute("data-field")));
        Assert.Equal(["12", "10"], changes[0].QuerySelectorAll("td").Select(td => td.TextContent));
        Assert.Equal("Aliyev Akmal", changes[1].QuerySelector("th")!.TextContent);
        Assert.Equal(["800", "802"], changes[1].QuerySelectorAll("td").Select(td => td.TextContent));
        Assert.Equal("Two ballots counted as invalid were valid", versions[1].QuerySelector(".reason")!.TextContent);
        Assert.Equal(new string('c', 64), versions[1].QuerySelector("code.hash")!.GetAttribute("data-hash"));
        Assert.Contains("latest", versions[1].ClassList);
        Assert.Contains("superseded", versions[0].ClassList);
    }

    [Theory]
    [InlineData("ru", "Голоса пересчитаны по решению окружной избирательной комиссии")]
    [InlineData("uz-Cyrl", "Округ сайлов комиссиясининг қарорига кўра овозлар қайта санаб чиқилди")]
    [InlineData("en", "Votes recounted by decision of the district election commission")]
    [InlineData("uz-Latn", CorrectionReasons.Recount)]
    public void AStandardCorrectionReasonIsShownInTheReadersLanguage(string culture, string expected)
    {
        UseCulture(culture);
        var v1 = Figures("sub-1", 1418, 12, 800, 606, 477);
        var v2 = Figures("sub-2", 1418, 10, 802, 606, 477, "sub-1", CorrectionReasons.Recount);
        var v3 = Figures("sub-3", 1418, 10, 802, 606, 477, "sub-2", "Recount ordered by the district election commission");
        var v4 = Figures("sub-4", 1418, 10, 802, 606, 477, "sub-3", "Bir byulleten qayta koʻrildi");
        var cut = Render<ProtocolVersions>(p => p.Add(c => c.ContestId, "legislative")
            .Add(c => c.Versions, [View(1, v1, false), View(2, v2, false, "sub-1", v2.Reason), View(3, v3, false, "sub-2", v3.Reason), View(4, v4, true, "sub-3", v4.Reason)])
            .Add(c => c.Candidates, Candidates).Add(c => c.Zone, Tashkent));
        var reasons = cut.FindAll(".reason").Select(r => r.TextContent).ToList();
        // The standard reason (also in the English the demo's older ledgers hold) in the page's language; a free text as written.
        Assert.Equal([expected, expected, "Bir byulleten qayta koʻrildi"], reasons);
    }

    [Fact]
    public void CandidateNamesFollowTheScriptOfTheUi()
    {
        UseCulture("uz-Cyrl");
        var v1 = Figures("sub-1", 1418, 12, 800, 606, 477);
        var v2 = Figures("sub-2", 1418, 12, 801, 605, 477, "sub-1", "typo");
        var cut = Render<ProtocolVersions>(p => p.Add(c => c.ContestId, "legislative")
            .Add(c => c.Versions, [View(1, v1, false), View(2, v2, true, "sub-1", "typo")])
            .Add(c => c.Candidates, Candidates).Add(c => c.Zone, Tashkent));
        var names = cut.FindAll("table.changes tbody th").Select(th => th.TextContent).ToList();
        // A name with no Cyrillic form is transliterated from its Latin Uzbek spelling.
        Assert.Equal(["Алиев Акмал", "Каримова Дилноза"], names);
    }

    [Fact]
    public void OnTheAcceleratedDayReceivedIsShownInElectionTime()
    {
        // The demo day: 07:30 at the anchor, 84x. The ledger's real receivedAt, 16:31 UTC, is 6 real minutes after the
        // anchor: 8 h 24 min of election time, 15:54 in Tashkent (the real instant is 21:31 there).
        var anchor = new DateTimeOffset(2024, 10, 27, 16, 25, 0, TimeSpan.Zero);
        var clock = ElectionClock.Accelerated(Catalog, new DemoOptions { Enabled = true }, realAnchor: anchor);
        Services.AddSingleton(clock);
        var cut = Render<ProtocolVersions>(p => p.Add(c => c.ContestId, "legislative")
            .Add(c => c.Versions, [View(1, null, true)]).Add(c => c.Candidates, Candidates).Add(c => c.Zone, Tashkent));
        var received = clock.ElectionTimeOf(new DateTimeOffset(2024, 10, 27, 16, 31, 0, TimeSpan.Zero));
        Assert.Equal(new DateTimeOffset(2024, 10, 27, 15, 54, 0, TimeSpan.FromHours(5)), received);
        var time = cut.Find("dl.meta time");
        Assert.Equal(received, DateTimeOffset.Parse(time.GetAttribute("datetime")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains(received.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), time.TextContent);
    }

    [Fact]
    public void EmbargoedVersionsShowTheirLedgerEntryButNoFigure()
    {
        var cut = Render<ProtocolVersions>(p => p.Add(c => c.ContestId, "legislative")
            .Add(c => c.Versions, [View(1, null, false), View(2, null, true, "sub-1", "recount")])
            .Add(c => c.Candidates, Candidates).Add(c => c.Zone, Tashkent));
        Assert.Equal(2, cut.FindAll(".embargo").Count);
        Assert.Empty(cut.FindAll("table"));
        Assert.Equal(2, cut.FindAll("code.hash").Count);
        Assert.DoesNotContain("800", cut.Markup);
    }
}
