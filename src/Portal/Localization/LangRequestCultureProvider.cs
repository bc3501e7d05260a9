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

    /// <summary>
    /// Remembers an explicit <c>?lang=</c> in the cookie, so the next page keeps the language. Added as the response starts,
    /// after the output cache took the page's headers: the cookie is the same for everyone choosing that language, so the
    /// page can be stored and served from the cache without it, and each such response gets it added on the way out.
    /// </summary>
    public static void RememberChoice(HttpContext httpContext)
    {
        var culture = PortalCultures.CultureOf(httpContext.Request.Query[PortalCultures.QueryKey].ToString());
        if (culture is null) return;
        var value = CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture));
        if (httpContext.Request.Cookies.TryGetValue(PortalCultures.CookieName, out var held) && held == value) return;
        var response = httpContext.Response;
        response.OnStarting(() =>
        {
            response.Cookies.Append(PortalCultures.CookieName, value, new CookieOptions
            {
                MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = httpContext.Request.IsHttps, IsEssential = true,
            });
            // A response that sets a cookie is for this browser only, never for a shared cache.
            response.Headers.CacheControl = "private, no-store";
            return Task.CompletedTask;
        });
    }

    /// <summary>A Set-Cookie value that is the language choice (the same for everyone choosing that language).</summary>
    public static bool IsLanguageCookie(string? setCookie) => setCookie?.StartsWith(PortalCultures.CookieName + "=", StringComparison.Ordinal) == true;
}
