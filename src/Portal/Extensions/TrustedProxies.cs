using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Portal.Extensions;

/// <summary>
/// X-Forwarded-For and X-Forwarded-Proto from the proxies of <see cref="PublicWebOptions.TrustedProxies"/> only (the edge
/// nginx of infra/cluster is one): behind the edge every client would otherwise have the edge's address, and per-address
/// limits would treat the whole audience as one client; from anyone else the headers are ignored, so a client cannot
/// pick the address its limits are counted under.
/// </summary>
public static class TrustedProxies
{
    public static void Configure(IServiceCollection services, PublicWebOptions web)
    {
        var (addresses, networks) = Parse(web.TrustedProxies);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured ones: not even loopback by default.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var a in addresses) o.KnownProxies.Add(a);
            foreach (var n in networks) o.KnownIPNetworks.Add(n);
            // Walk back through a chain of trusted proxies (CDN, then edge) to the first address that is not one.
            o.ForwardLimit = null;
        });
    }

    /// <summary>Call first: everything after it (limits, HTTPS, redirects, logs) sees the client's address and scheme.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app) => app.UseForwardedHeaders();

    /// <exception cref="FormatException">an entry is neither an address nor a CIDR network.</exception>
    public static (List<IPAddress> Addresses, List<System.Net.IPNetwork> Networks) Parse(string? value)
    {
        var addresses = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in (value ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (entry.Contains('/')) networks.Add(System.Net.IPNetwork.Parse(entry));
            else if (IPAddress.TryParse(entry, out var address)) addresses.Add(address);
            else throw new FormatException($"PublicWeb:TrustedProxies: \"{entry}\" is neither an IP address nor a CIDR network");
        }
        return (addresses, networks);
    }
}
