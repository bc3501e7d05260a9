using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.OutputCaching;

namespace Portal.Extensions;

/// <summary>
/// Output-caches the public pages for a couple of seconds per URL and language, so a spike of readers costs one render
/// per page every few seconds. Acts only on public page paths and leaves every other endpoint's own policy alone.
/// </summary>
internal sealed class PublicPageCachePolicy(TimeSpan duration) : IOutputCachePolicy
{
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
        context.CacheVaryByRules.QueryKeys = "*";
        var culture = context.HttpContext.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture.Name ?? "";
        context.CacheVaryByRules.VaryByValues["culture"] = culture;
        var response = context.HttpContext.Response;
        response.OnStarting(() =>
        {
            // Browsers and CDNs may keep a page as long as the server does; never one that sets a cookie.
            if (response.StatusCode == StatusCodes.Status200OK && response.Headers.SetCookie.Count == 0)
                response.Headers.CacheControl = $"public, max-age={(int)duration.TotalSeconds}";
            return Task.CompletedTask;
        });
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellationToken)
    {
        var response = context.HttpContext.Response;
        // Other endpoints' own cache policies (the read API's) run this too, sometimes once their body has started.
        if (!IsPublicPage(context.HttpContext.Request) || response.HasStarted) return ValueTask.CompletedTask;
        // A response that sets a cookie (the language choice) or is not a page is never shared.
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0) context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }
}
