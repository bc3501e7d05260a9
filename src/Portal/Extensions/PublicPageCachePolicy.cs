using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.OutputCaching;

namespace Portal.Extensions;

/// <summary>
/// Output-caches the public pages for a couple of seconds per URL and language, so a spike of readers costs one render
/// per page every few seconds. Acts only on public page paths and leaves every other endpoint's own policy alone.
/// </summary>
internal sealed class PublicPageCachePolicy(TimeSpan duration) : IOutputCachePolicy
{
    /// <summary>
    /// The query keys public pages read (language, search, sorting, paging). The cache varies on these only: any other key
    /// is ignored by the pages, so it must not make a cache entry of its own (one per random value).
    /// </summary>
    public static readonly string[] PageQueryKeys = [Portal.Localization.PortalCultures.QueryKey, "q", "type", "region", "from", "to", "page", "sort", "dir", "find", "camera", "stations"];

    private static readonly string[] NotPages = ["/api", "/hubs", "/hls", "/healthz", "/metrics", "/ops", "/account", "/lib", "/js", "/css", "/_"];

    public static bool IsPublicPage(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return false;
        var path = request.Path.Value ?? "/";
        foreach (var prefix in NotPages)
            if (path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return false;
        return true;
    }

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var request = context.HttpContext.Request;
        if (!IsPublicPage(request) || request.Headers.Authorization.Count > 0) return ValueTask.CompletedTask;
        // A status-code page re-executed for another URL (a 404 or 405 rendered as /not-found) must not be stored as /not-found.
        if (context.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null) return ValueTask.CompletedTask;
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = duration;
        context.CacheVaryByRules.QueryKeys = PageQueryKeys;
        var culture = context.HttpContext.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture.Name ?? "";
        context.CacheVaryByRules.VaryByValues["culture"] = culture;
        // A page in the language of the visitor's cookie (not of its URL) is that visitor's only: never for an edge to share.
        var cookieLanguage = IsCookieLanguage(request);
        context.CacheVaryByRules.VaryByValues["cookie-language"] = cookieLanguage ? "1" : "0";
        var response = context.HttpContext.Response;
        // Browsers and the edge may keep a page as long as the server does. Set now, before the cache copies the headers at
        // the first body write, so a page served from the cache says the same; taken back below when it does not apply.
        var seconds = (int)duration.TotalSeconds;
        var cacheControl = cookieLanguage ? $"private, max-age={seconds}" : $"public, max-age={seconds}";
        response.Headers.CacheControl = cacheControl;
        // The language cookie changes the page: a browser or edge that kept the cookie-less copy must not answer with it
        // once the visitor has chosen a language (same URL, now with the cookie).
        response.Headers.Vary = "Cookie";
        response.OnStarting(() =>
        {
            if (SetsVisitorCookie(response))
            {
                // A page that sets a visitor's cookie (one set late by another OnStarting, after the cache decided) is never stored or shared.
                context.AllowCacheStorage = false;
                response.Headers.CacheControl = "private, no-store";
            }
            else if (response.StatusCode != StatusCodes.Status200OK && response.Headers.CacheControl == cacheControl)
                response.Headers.Remove("Cache-Control");
            return Task.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Any cookie but the language choice, which is the same for everyone asking for that language and is added after the
    /// cache took the headers (so never stored).
    /// </summary>
    private static bool SetsVisitorCookie(HttpResponse response) =>
        response.Headers.SetCookie.Any(c => !Portal.Localization.LangRequestCultureProvider.IsLanguageCookie(c));

    private static bool IsCookieLanguage(HttpRequest request) =>
        !request.Query.ContainsKey(Portal.Localization.PortalCultures.QueryKey) && request.Cookies.ContainsKey(Portal.Localization.PortalCultures.CookieName);

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var response = context.HttpContext.Response;
        // Runs once the endpoint is done (its body may have started); other endpoints' own cache policies run this too.
        if (!IsPublicPage(context.HttpContext.Request)) return ValueTask.CompletedTask;
        // A response that sets a visitor's cookie or is not a page is never shared.
        if (response.StatusCode != StatusCodes.Status200OK || SetsVisitorCookie(response)) context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}
