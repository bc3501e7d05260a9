using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace Portal.Extensions;

/// <summary>
/// Blazor's endpoint stores antiforgery tokens (a cookie plus <c>Cache-Control: no-cache, no-store</c>) on every page once
/// any interactive render mode is configured, and the ops pages configure one. Public pages have no form that posts, so on
/// their GETs no token is made or stored: the page stays cookie-free and cacheable. Everything else (ops pages, the login
/// form, every POST) keeps the framework's behaviour.
/// </summary>
internal sealed class PublicPageAntiforgery(IAntiforgery inner, IOptions<AntiforgeryOptions> options) : IAntiforgery
{
    public AntiforgeryTokenSet GetAndStoreTokens(HttpContext httpContext) =>
        PublicPageCachePolicy.IsPublicPage(httpContext.Request) ? NoTokens() : inner.GetAndStoreTokens(httpContext);

    public AntiforgeryTokenSet GetTokens(HttpContext httpContext) =>
        PublicPageCachePolicy.IsPublicPage(httpContext.Request) ? NoTokens() : inner.GetTokens(httpContext);

    public Task<bool> IsRequestValidAsync(HttpContext httpContext) => inner.IsRequestValidAsync(httpContext);

    public Task ValidateRequestAsync(HttpContext httpContext) => inner.ValidateRequestAsync(httpContext);

    public void SetCookieTokenAndHeader(HttpContext httpContext)
    {
        if (!PublicPageCachePolicy.IsPublicPage(httpContext.Request)) inner.SetCookieTokenAndHeader(httpContext);
    }

    // A null request token makes Blazor render no hidden field (and a form posting from a public page would fail validation).
    private AntiforgeryTokenSet NoTokens() => new(null, null, options.Value.FormFieldName, options.Value.HeaderName);

    /// <summary>Wraps the registered <see cref="IAntiforgery"/>; call after AddRazorComponents.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddAntiforgery();
        var registered = services.Last(d => d.ServiceType == typeof(IAntiforgery));
        services.Remove(registered);
        services.AddSingleton<IAntiforgery>(sp => new PublicPageAntiforgery(
            registered.ImplementationInstance as IAntiforgery
                ?? (IAntiforgery?)registered.ImplementationFactory?.Invoke(sp)
                ?? (IAntiforgery)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!),
            sp.GetRequiredService<IOptions<AntiforgeryOptions>>()));
    }
}
