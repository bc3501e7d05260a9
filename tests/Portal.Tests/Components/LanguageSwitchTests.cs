using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Shared;

namespace Portal.Tests.Components;

public sealed class LanguageSwitchTests : ComponentTestContext
{
    [Fact]
    public void OffersTheFourLanguagesKeepingThePageAndItsQuery()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/regions/tashkent-city?sort=turnout&lang=ru");
        var cut = Render<LanguageSwitch>();
        var links = cut.FindAll("a[data-lang]");
        Assert.Equal(["uz", "uz-Cyrl", "ru", "en"], links.Select(a => a.GetAttribute("data-lang")));
        Assert.Equal("/regions/tashkent-city?sort=turnout&lang=uz-Cyrl", links[1].GetAttribute("href"));
        Assert.Equal(["Oʻzbekcha", "Ўзбекча", "Русский", "English"], links.Select(a => a.TextContent));
    }

    [Theory]
    [InlineData("uz-Latn", "uz", "Til", "Hali maʼlumot yoʻq")]
    [InlineData("uz-Cyrl", "uz-Cyrl", "Тил", "Ҳали маълумот йўқ")]
    [InlineData("ru", "ru", "Язык", "Данных пока нет")]
    [InlineData("en", "en", "Language", "Not reported yet")]
    public void TheCurrentLanguageIsMarkedAndTheUiSpeaksIt(string culture, string code, string label, string notYet)
    {
        UseCulture(culture);
        var cut = Render<LanguageSwitch>();
        Assert.Equal(label, cut.Find("nav").GetAttribute("aria-label"));
        var current = cut.FindAll("a[aria-current=true]");
        Assert.Equal(code, Assert.Single(current).GetAttribute("data-lang"));

        var chart = Render<TurnoutChart>(p => p.Add(c => c.Points, []).Add(c => c.From, Open).Add(c => c.To, Close).Add(c => c.Zone, Tashkent));
        Assert.Equal(notYet, chart.Find(".not-yet").TextContent);
    }
}
