using System.Xml.Linq;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Components.Shared;
using Portal.Extensions;

namespace Portal.Tests.Components;

/// <summary>
/// The copy-paste code of a widget: an iframe of the widget's absolute address (PublicWeb:PublicOrigin) in the page's
/// language, with a title, a size and lazy loading, every value HTML-escaped, in a read-only textarea.
/// </summary>
public sealed class EmbedCodeTests : ComponentTestContext
{
    private IRenderedComponent<EmbedCode> RenderCode(string? origin, string path, string title, int height = 300)
    {
        Services.AddSingleton(Options.Create(new PublicWebOptions { PublicOrigin = origin }));
        return Render<EmbedCode>(p => p.Add(c => c.Path, path).Add(c => c.Title, title).Add(c => c.Height, height));
    }

    /// <summary>The textarea's text parsed as the HTML element it is (an iframe with no content is well-formed XML too).</summary>
    private static XElement Iframe(IRenderedComponent<EmbedCode> cut)
    {
        var text = cut.Find("textarea[data-embed-code]").TextContent.Trim();
        return XElement.Parse(text);
    }

    [Theory]
    [InlineData("en", "Polling station 12 — live figures")]
    [InlineData("ru", "Polling station 12 — данные в реальном времени")]
    public void TheCodeIsAnIframeOfTheWidgetsPublicAddressInThePagesLanguage(string culture, string frameTitle)
    {
        UseCulture(culture);
        var cut = RenderCode("https://saylov.example/", "/embed/stations/12-0005", "Polling station 12", 340);
        var textarea = cut.Find("textarea[data-embed-code]");
        Assert.True(textarea.HasAttribute("readonly"));
        Assert.False(string.IsNullOrEmpty(textarea.GetAttribute("aria-label")));
        var iframe = Iframe(cut);
        Assert.Equal("iframe", iframe.Name.LocalName);
        Assert.Equal($"https://saylov.example/embed/stations/12-0005?lang={culture}", (string?)iframe.Attribute("src"));
        Assert.Equal(frameTitle, (string?)iframe.Attribute("title"));
        Assert.Equal("360", (string?)iframe.Attribute("width"));
        Assert.Equal("340", (string?)iframe.Attribute("height"));
        Assert.Equal("lazy", (string?)iframe.Attribute("loading"));
        // The copy button needs the script: hidden until it runs.
        Assert.True(cut.Find("button[data-embed-copy]").HasAttribute("hidden"));
    }

    [Fact]
    public void QuotesAndAmpersandsInTheTitleAndAddressAreEscapedInTheCode()
    {
        UseCulture("en");
        var cut = RenderCode("https://saylov.example", "/embed/contests/p&1/constituencies/\"x\"", "Tom & \"Jerry\" <b>");
        var text = cut.Find("textarea[data-embed-code]").TextContent;
        Assert.Contains("title=\"Tom &amp; &quot;Jerry&quot; &lt;b&gt; — live figures\"", text);
        Assert.Contains("src=\"https://saylov.example/embed/contests/p&amp;1/constituencies/&quot;x&quot;?lang=en\"", text);
        Assert.DoesNotContain("<b>", text);
        // And the HTML of the page escapes the code once more, so the textarea cannot be closed from inside.
        Assert.DoesNotContain("<iframe", cut.Markup);
        Assert.Contains("&lt;iframe", cut.Markup);
        var iframe = Iframe(cut);
        Assert.Equal("Tom & \"Jerry\" <b> — live figures", (string?)iframe.Attribute("title"));
    }

    [Fact]
    public void WithoutAPublicOriginTheCodeIsSiteRelativeForTheScriptToCompleteNeverFromTheHost()
    {
        UseCulture("uz-Latn");
        var cut = RenderCode(null, "/embed/stations/1-0001", "1-son uchastka");
        Assert.Equal("/embed/stations/1-0001?lang=uz", (string?)Iframe(cut).Attribute("src"));
        Assert.Equal("/embed/stations/1-0001?lang=uz", cut.Find("textarea").GetAttribute("data-embed-path"));
    }
}
