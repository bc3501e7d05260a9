using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains.Model;
using Portal.Tests.Live;

namespace Portal.Tests.Sharing;

/// <summary>The widgets may be framed by any site and set no cookie; every other page still refuses frames.</summary>
public sealed class EmbedTests(LiveHostFactory factory) : IClassFixture<LiveHostFactory>
{
    private static string FrameAncestors(HttpResponseMessage response) =>
        response.Headers.GetValues("Content-Security-Policy").Single().Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("frame-ancestors"));

    [Fact]
    public async Task WidgetsMayBeFramedAndSetNoCookieWhileOtherPagesRefuseFrames()
    {
        var catalog = factory.Services.GetRequiredService<ElectionCatalog>();
        var station = catalog.Election.Stations[3];
        var contest = catalog.Election.Contests[0];
        var client = factory.CreateClient(new() { HandleCookies = false });
        foreach (var path in new[] { $"/embed/stations/{station.Id}?lang=ru", $"/embed/contests/{contest.Id}/constituencies/{station.Constituencies[contest.Id]}?lang=en" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("frame-ancestors *", FrameAncestors(response));
            Assert.False(response.Headers.Contains("X-Frame-Options"), path);
            Assert.False(response.Headers.Contains("Set-Cookie"), $"{path} set a cookie: {string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var c) ? c : [])}");
            Assert.Contains("data-live-topic", await response.Content.ReadAsStringAsync());
        }

        var page = await client.GetAsync($"/stations/{station.Id}?lang=ru");
        Assert.Equal("frame-ancestors 'none'", FrameAncestors(page));
        // The language link of an ordinary page still remembers the choice.
        Assert.True(page.Headers.Contains("Set-Cookie"));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"/embed/stations/{station.Id}?lang=ru", html);
        Assert.Contains("&lt;iframe", html);
    }

    [Theory]
    [InlineData("uz", "Bu jonli raqamlarni saytingizga qoʻying")]
    [InlineData("uz-Cyrl", "Бу жонли рақамларни сайтингизга қўйинг")]
    [InlineData("ru", "Разместить эти данные на своём сайте")]
    [InlineData("en", "Put these live figures on your site")]
    public async Task StationAndConstituencyPagesOfferTheIframeCodeOfTheirOwnWidgetInThePagesLanguage(string lang, string heading)
    {
        var catalog = factory.Services.GetRequiredService<ElectionCatalog>();
        var station = catalog.Election.Stations[2];
        var contest = catalog.Election.Contests[0];
        var constituency = station.Constituencies[contest.Id];
        var client = factory.CreateClient();
        foreach (var (page, widget) in new[]
                 {
                     ($"/stations/{station.Id}", $"/embed/stations/{station.Id}"),
                     ($"/contests/{contest.Id}/constituencies/{constituency}", $"/embed/contests/{contest.Id}/constituencies/{constituency}"),
                 })
        {
            var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await client.GetStringAsync($"{page}?lang={lang}"));
            var section = Assert.Single(document.QuerySelectorAll("details[data-testid=embed-code]"));
            Assert.Equal(heading, section.QuerySelector("summary")!.TextContent.Trim());
            var textarea = Assert.Single(section.QuerySelectorAll("textarea[data-embed-code]"));
            Assert.True(textarea.HasAttribute("readonly"), page);
            // The textarea's text is the code itself: one well-formed iframe element.
            var iframe = System.Xml.Linq.XElement.Parse(textarea.TextContent.Trim());
            Assert.Equal("iframe", iframe.Name.LocalName);
            var src = (string)iframe.Attribute("src")!;
            Assert.Equal($"{widget}?lang={lang}", src);
            Assert.False(string.IsNullOrWhiteSpace((string?)iframe.Attribute("title")), page);
            Assert.Equal("lazy", (string?)iframe.Attribute("loading"));
            Assert.NotNull(iframe.Attribute("width"));
            Assert.NotNull(iframe.Attribute("height"));
            // The address it points at is the widget, in that language.
            var framed = await client.GetAsync(src);
            Assert.Equal(HttpStatusCode.OK, framed.StatusCode);
            Assert.Equal("frame-ancestors *", FrameAncestors(framed));
        }
    }

    [Fact]
    public async Task AWidgetOfAnUnknownStationIsNotFound()
    {
        var response = await factory.CreateClient().GetAsync("/embed/stations/no-such-station");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
