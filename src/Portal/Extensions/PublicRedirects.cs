using Microsoft.Extensions.Options;

namespace Portal.Extensions;

/// <summary>
/// A redirect never takes its origin from the request's Host header: the cookie handler's login redirect and Blazor's
/// NavigateTo build absolute URLs from it, so <c>Host: evil.example</c> would send a person to evil.example. Every absolute
/// <c>Location</c> on the request's own host becomes the configured public origin (<c>PublicWeb:PublicOrigin</c>) plus the
/// path, or the bare path when none is configured; a Location that is not plain ASCII is percent-encoded (a raw one is an
/// invalid header: a 500).
/// </summary>
public static class PublicRedirects
{
    public static IApplicationBuilder UsePublicRedirects(this IApplicationBuilder app)
    {
        var origin = app.ApplicationServices.GetRequiredService<IOptions<PublicWebOptions>>().Value.PublicOrigin?.TrimEnd('/');
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                if (headers.Location.Count > 0) headers.Location = Rewrite(headers.Location.ToString(), context.Request.Host, origin);
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    public static string Rewrite(string location, HostString requestHost, string? origin)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
        {
            var ownHost = string.Equals(absolute.Authority, requestHost.Value, StringComparison.OrdinalIgnoreCase)
                || string.Equals(absolute.Host, requestHost.Host, StringComparison.OrdinalIgnoreCase);
            // Another site (the portal sends none): kept, in its encoded form.
            return ownHost ? (origin ?? "") + absolute.PathAndQuery + absolute.Fragment : absolute.AbsoluteUri;
        }
        if (IsAscii(location)) return location;
        // A relative one with raw Unicode (a decoded return URL): the same path, percent-encoded.
        var resolved = new Uri(new Uri("http://relative.invalid"), location);
        return resolved.PathAndQuery + resolved.Fragment;
    }

    private static bool IsAscii(string value) => value.All(c => c is > ' ' and < (char)127);
}
