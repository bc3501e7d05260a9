using Microsoft.AspNetCore.Localization;

namespace Portal.Localization;

/// <summary>
/// <c>?lang=uz|uz-Cyrl|ru|en</c> first (shared links keep their language), then the switcher's cookie. Anything else
/// falls through to the default, Uzbek Latin.
/// </summary>
public sealed class LangRequestCultureProvider : RequestCultureProvider
{
    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        var culture = PortalCultures.CultureOf(httpContext.Request.Query[PortalCultures.QueryKey].ToString());
        if (culture is null && httpContext.Request.Cookies.TryGetValue(PortalCultures.CookieName, out var cookie))
            culture = PortalCultures.CultureOf(CookieRequestCultureProvider.ParseCookieValue(cookie)?.UICultures.FirstOrDefault().Value);
        return Task.FromResult(culture is null ? null : new ProviderCultureResult(culture));
    }

    /// <summary>Remembers an explicit <c>?lang=</c> in the cookie, so the next page keeps the language.</summary>
    public static void RememberChoice(HttpContext httpContext)
    {
        var culture = PortalCultures.CultureOf(httpContext.Request.Query[PortalCultures.QueryKey].ToString());
        if (culture is null) return;
        var value = CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture));
        if (httpContext.Request.Cookies.TryGetValue(PortalCultures.CookieName, out var held) && held == value) return;
        httpContext.Response.Cookies.Append(PortalCultures.CookieName, value, new CookieOptions
        {
            MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = httpContext.Request.IsHttps, IsEssential = true,
        });
    }
}
