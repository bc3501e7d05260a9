namespace Portal.Extensions;

/// <summary>Section "PublicWeb": hardening of the anonymous surface.</summary>
public sealed class PublicWebOptions
{
    public const string Section = "PublicWeb";

    /// <summary>Public pages are served from the output cache for this long (per URL and language).</summary>
    public int PageCacheSeconds { get; set; } = 2;

    /// <summary>Anonymous read-API requests one IP may make per <see cref="RateLimitWindowSeconds"/>.</summary>
    public int ApiRequestsPerWindow { get; set; } = 300;

    /// <summary>
    /// Live-hub connection starts (a negotiate, or a WebSocket without one) one address may make per
    /// <see cref="RateLimitWindowSeconds"/>. The requests of a connection once started (long polls, server-sent events,
    /// sends) are not counted: what a connection costs is bounded by the hub's own limits (calls per connection, topics,
    /// message size), so many honest viewers behind one carrier-grade NAT address are not cut off.
    /// </summary>
    public int HubRequestsPerWindow { get; set; } = 600;

    /// <summary>
    /// The proxies in front of the portal (the edge), as addresses or CIDR networks separated by commas or spaces
    /// (<c>127.0.0.1, 10.0.0.0/8</c>). Only from them are X-Forwarded-For and X-Forwarded-Proto believed; from anyone else
    /// the connection's own address is the client's, whatever the headers say. Empty: no proxy is trusted.
    /// </summary>
    public string TrustedProxies { get; set; } = "";

    public int RateLimitWindowSeconds { get; set; } = 10;

    /// <summary>The origin people reach the site at (e.g. https://saylov.example); redirects use it, never the Host header. Empty: relative redirects.</summary>
    public string? PublicOrigin { get; set; }

    /// <summary>Longest query string a page takes (longer: 414), so a huge query cannot make a huge page or cache entry.</summary>
    public int MaxPageQueryLength { get; set; } = 2048;

    /// <summary>Strict-Transport-Security max-age sent with responses served over HTTPS (directly or via a trusted proxy); 0: none.</summary>
    public int HstsMaxAgeSeconds { get; set; } = 365 * 24 * 3600;

    /// <summary>Sent with every response; only the page's own origin (blob: is what MSE players play from, not a remote origin).</summary>
    public string ContentSecurityPolicy { get; set; } =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob:; " +
        "connect-src 'self'; worker-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Who may put the widgets (/embed/...) in a frame: any site by default, the point of a widget (CSP frame-ancestors syntax).</summary>
    public string EmbedFrameAncestors { get; set; } = "*";

    /// <summary>The widgets' path prefix; only responses under it may be framed.</summary>
    public const string EmbedPath = "/embed";

    /// <summary>The site's policy with frame-ancestors opened to <see cref="EmbedFrameAncestors"/>, for the widgets only.</summary>
    public string EmbedContentSecurityPolicy()
    {
        var directives = ContentSecurityPolicy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Where(d => !d.StartsWith("frame-ancestors", StringComparison.OrdinalIgnoreCase));
        return string.Join("; ", directives.Append("frame-ancestors " + EmbedFrameAncestors));
    }
}
