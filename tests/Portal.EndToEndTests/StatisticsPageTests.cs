using System.Net.Http.Json;
using Microsoft.Playwright;
using Portal.Grains.Model;
using Portal.Ingest.Simulation;

namespace Portal.EndToEndTests;

/// <summary>The statistics page of the demo after close: the fingerprint and tests, in every language, a flagged station one click away.</summary>
public sealed class StatisticsPageTests(AfterCloseFixture portal) : IClassFixture<AfterCloseFixture>
{
    [Fact]
    public async Task AStuffedStationIsFlaggedAndOneClickFromItsVideoAndProtocol()
    {
        var contest = portal.Election.GetProperty("contests").EnumerateArray().First(c => c.GetProperty("id").GetString() == "legislative");
        var candidatesOf = contest.GetProperty("constituencies").EnumerateArray().ToDictionary(k => k.GetProperty("id").GetString()!,
            k => k.GetProperty("candidates").EnumerateArray().Select(c => new CandidateDefinition
                { Id = c.GetProperty("id").GetString()!, Name = c.GetProperty("name").GetString()!, Party = c.GetProperty("party").GetString()! }).ToList());
        var stations = portal.Election.GetProperty("stations").EnumerateArray().ToList();
        var random = new Random(11);
        // Stuffing helps one party: the one standing in most constituencies (the likeliest leader), where it stands.
        var party = stations.SelectMany(s => candidatesOf[s.GetProperty("constituencies").GetProperty("legislative").GetString()!])
            .GroupBy(c => c.Party).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
        var stuffed = new Dictionary<string, string>(StringComparer.Ordinal); // station -> the party its stuffing helped
        foreach (var (station, i) in stations.Select((s, i) => (s, i)))
        {
            var id = station.GetProperty("id").GetString()!;
            var list = station.GetProperty("votersOnList").GetInt32();
            var candidates = candidatesOf[station.GetProperty("constituencies").GetProperty("legislative").GetString()!];
            var favoured = candidates.FirstOrDefault(c => c.Party == party) ?? candidates[0];
            // Every tenth station stuffed; the rest counted honestly.
            var body = i % 10 == 3
                ? ProtocolFactory.Stuffed(random, $"stats-{id}", "legislative", list, candidates, favoured.Id)
                : ProtocolFactory.Protocol(random, $"stats-{id}", "legislative", list, 0.5 + random.NextDouble() * 0.3, candidates);
            if (i % 10 == 3) stuffed[id] = favoured.Party;
            var response = await portal.Stations.PostProtocolAsync(id, body);
            Assert.True(response.IsSuccessStatusCode, $"protocol refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        var firstStuffed = stuffed.Keys.First();

        var page = await portal.NewPageAsync();
        await page.GotoAsync("/statistics?lang=en");
        var row = page.Locator($"[data-testid=flagged-stations] tr[data-station='{firstStuffed}']");
        await PortalFixture.UntilPageShowsAsync(page, async () => await row.CountAsync() == 1, "the statistics page to flag the stuffed station");
        await Assertions.Expect(row.Locator("li[data-code=turnout-over-95]")).ToHaveTextAsync("turnout over 95 %");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Statistics for observers" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=not-a-finding]")).ToContainTextAsync("A flag is a reason to look, not a finding.");
        Assert.Equal(0, await page.Locator("[data-testid=embargo]").CountAsync());
        Assert.True(await page.Locator("[data-testid=fingerprint] svg path.cells").CountAsync() > 0, "the fingerprint has cells");
        foreach (var id in stuffed.Keys)
            await Assertions.Expect(page.Locator($"[data-testid=flagged-stations] tr[data-station='{id}'] li[data-code=turnout-over-95]")).ToHaveCountAsync(1);
        // The corner holds the stations stuffed for the party that leads (the leader share is that party's).
        var leading = (await portal.Http.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/elections/{portal.ElectionId}/contests/legislative/forensics"))
            .GetProperty("leadingParty").GetString();
        await Assertions.Expect(page.Locator("[data-testid=fingerprint-corner]")).ToContainTextAsync($": {stuffed.Values.Count(p => p == leading)} of ");
        await Assertions.Expect(page.Locator("[data-testid=turnout-histogram] svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=last-digit] svg rect.bar")).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("[data-testid=integer-tests] tbody tr").First).ToBeVisibleAsync();
        await PortalFixture.ScreenshotAsync(page, "statistics-desktop");

        // One click from the flag to the station: its cameras (video) and its protocol with the ledger entry.
        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        await page.WaitForURLAsync($"**/stations/{firstStuffed}");
        await Assertions.Expect(page.Locator("section.cameras")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("ol.protocol-versions[data-contest=legislative] li.protocol-version")).ToHaveCountAsync(1);

        // Every language; and on a phone nothing scrolls the page sideways.
        foreach (var (lang, title) in new[] { ("uz", "Kuzatuvchilar uchun statistika"), ("uz-Cyrl", "Кузатувчилар учун статистика"),
                     ("ru", "Статистика для наблюдателей"), ("en", "Statistics for observers") })
        {
            await page.GotoAsync($"/statistics?lang={lang}");
            await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(title);
            await Assertions.Expect(page.Locator("[data-testid=fingerprint] svg")).ToBeVisibleAsync();
        }
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/statistics?lang=ru");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways at 390 px");
        await PortalFixture.ScreenshotAsync(page, "statistics-phone");

        // Sorting works without JS: a header link, then the stuffed stations lead by turnout.
        await page.GotoAsync("/statistics?lang=en&sort=turnout&dir=desc");
        var first = await page.Locator("[data-testid=flagged-stations] tbody tr").First.GetAttributeAsync("data-station");
        Assert.Contains(first!, stuffed.Keys);
    }
}
