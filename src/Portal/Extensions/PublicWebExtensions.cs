using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Hosting;
using Portal.Hubs;
using Portal.Live;
using Portal.Localization;

namespace Portal.Extensions;

public static class PublicWebExtensions
{
    /// <summary>
    /// The public site's services: four UI languages, the live hub with its feed (each host sending to its own viewers),
    /// output caching of public pages, per-IP rate limits for the anonymous API and hub connection starts, and forwarded
    /// headers from the trusted proxies only.
    /// </summary>
    public static IHostApplicationBuilder AddPublicWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PublicWebOptions>().BindConfiguration(PublicWebOptions.Section)
            .Validate(o => o.PageCacheSeconds >= 0 && o.ApiRequestsPerWindow > 0 && o.HubRequestsPerWindow > 0 && o.RateLimitWindowSeconds > 0,
                "PublicWeb: cache seconds must be >= 0, rate limits and window > 0")
            .Validate(o => o.MaxPageQueryLength > 0 && o.HstsMaxAgeSeconds >= 0, "PublicWeb: MaxPageQueryLength must be > 0, HstsMaxAgeSeconds >= 0")
            .Validate(o => { try { TrustedProxies.Parse(o.TrustedProxies); return true; } catch (FormatException) { return false; } },
                "PublicWeb:TrustedProxies must list IP addresses or CIDR networks (127.0.0.1, 10.0.0.0/8)")
            .Validate(o => string.IsNullOrEmpty(o.PublicOrigin) || (Uri.TryCreate(o.PublicOrigin, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && u.AbsolutePath == "/"),
                "PublicWeb:PublicOrigin must be an http(s) origin such as https://saylov.example")
            .ValidateOnStart();
        services.AddOptions<LiveFeedOptions>().BindConfiguration(LiveFeedOptions.Section)
            .Validate(o => o.FlushMilliseconds >= 50 && o.RegisterSeconds >= 1 && o.MaxSubscriptionsPerConnection >= 1 && o.SendTimeoutSeconds >= 1
                && o.HubCallBurst >= 1 && o.HubCallsPerSecond > 0 && o.FaultSummarySeconds >= 1, "LiveFeed: invalid values")
            .ValidateOnStart();
        var web = builder.Configuration.GetSection(PublicWebOptions.Section).Get<PublicWebOptions>() ?? new PublicWebOptions();
        TrustedProxies.Configure(services, web);

        // Run from the build output (not published) in any environment, the pages' css, js modules and npm libraries, and
        // their compressed variants, are found through the build's static web assets manifest. ASP.NET Core reads it in
        // Development only; without it a browser asking for gzip gets empty 200s. A published app has no manifest: no-op.
        if (builder is WebApplicationBuilder webApplication) webApplication.WebHost.UseStaticWebAssets();
        builder.AddPortalCompression();
        services.AddLocalization();
        // Uzbek, Russian and Cyrillic text goes out as text, not as six-byte character references.
        services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
        services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = PortalCultures.CultureNames.Select(CultureInfo.GetCultureInfo).ToList();
            o.DefaultRequestCulture = new RequestCulture(PortalCultures.Default);
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.RequestCultureProviders = [new LangRequestCultureProvider()];
        });

        // No backplane, in cluster mode too: every host's observer receives every message from the grains and sends it to
        // its own viewers. Through Redis, a node writes a channel's messages to its local viewers one message at a time,
        // waiting for every socket (without a deadline): one socket that never reads would stall that topic on its node.
        services.AddSignalR(o => o.MaximumReceiveMessageSize = 4 * 1024)
            .AddHubOptions<LiveHub>(o => o.AddFilter<LiveHubCallFilter>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LiveFeedObserver>();
        services.AddSingleton<LiveHubMetrics>();
        services.AddHostedService<LiveHubFaultSummary>();
        services.AddSingleton<TurnoutHistory>();
        services.AddHostedService<LiveFeedService>();
        services.AddSingleton<LiveAreaFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveAreaFeed>());

        services.AddOutputCache(o => o.AddBasePolicy(new PublicPageCachePolicy(TimeSpan.FromSeconds(web.PageCacheSeconds))));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, token) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = web.RateLimitWindowSeconds.ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.Response.WriteAsJsonAsync(new
                {
                    errors = new[] { new { field = "", code = "rate-limited", message = "too many requests from this address; retry later" } },
                }, token);
            };
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, web));
        });
        return builder;
    }

    /// <summary>Security headers, the request language, rate limiting and the output cache. Call after UsePortalWeb.</summary>
    public static WebApplication UsePublicWeb(this WebApplication app)
    {
        var web = app.Services.GetRequiredService<IOptions<PublicWebOptions>>().Value;
        var embedPolicy = web.EmbedContentSecurityPolicy();
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = IsEmbed(context.Request) ? embedPolicy : web.ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
            // IsHttps: a direct TLS connection, or the edge's X-Forwarded-Proto once the forwarded-headers middleware trusts it.
            if (context.Request.IsHttps && web.HstsMaxAgeSeconds > 0)
                headers.StrictTransportSecurity = "max-age=" + web.HstsMaxAgeSeconds.ToString(CultureInfo.InvariantCulture);
            return next(context);
        });
        app.UsePageQueryLimit(web.MaxPageQueryLength);
        app.UseRequestLocalization();
        app.Use((context, next) =>
        {
            // A widget sets no cookie: it lives on other sites' pages, where a cookie would follow their readers.
            if (!IsEmbed(context.Request)) LangRequestCultureProvider.RememberChoice(context);
            return next(context);
        });
        app.UseRateLimiter();
        app.UsePortalCompression();
        app.UseOutputCache();
        return app;
    }

    /// <summary>The anonymous live hub at /hubs/live (api.md section 4 "Live hub").</summary>
    public static IEndpointRouteBuilder MapLiveHub(this IEndpointRouteBuilder app)
    {
        var live = app.ServiceProvider.GetRequiredService<IOptions<LiveFeedOptions>>().Value;
        // A socket that stops reading is closed by its transport after this, whatever is waiting for it.
        app.MapHub<LiveHub>("/hubs/live", o => o.TransportSendTimeout = TimeSpan.FromSeconds(live.SendTimeoutSeconds));
        return app;
    }

    private static bool IsEmbed(HttpRequest request) => request.Path.StartsWithSegments(PublicWebOptions.EmbedPath, StringComparison.OrdinalIgnoreCase);

    private static RateLimitPartition<string> Partition(HttpContext http, PublicWebOptions web)
    {
        var path = http.Request.Path;
        var ip = http.Connection.RemoteIpAddress ?? IPAddress.None;
        var window = TimeSpan.FromSeconds(web.RateLimitWindowSeconds);
        // Connection starts only: a started connection's requests (carrying its id) are bounded by the hub's own limits,
        // and long polling makes one per message, which would cut off viewers who share an address.
        if (path.StartsWithSegments("/hubs"))
            return http.Request.Query.ContainsKey("id") && !path.Value!.EndsWith("/negotiate", StringComparison.Ordinal)
                ? RateLimitPartition.GetNoLimiter("none")
                : RateLimitPartition.GetFixedWindowLimiter("hub:" + ip, _ => new FixedWindowRateLimiterOptions { PermitLimit = web.HubRequestsPerWindow, Window = window });
        // Station devices are authenticated by signature and the intake has its own back-pressure (429 + Retry-After).
        if (path.StartsWithSegments("/api") && !(HttpMethods.IsPost(http.Request.Method) && path.StartsWithSegments("/api/v1/stations")))
            return RateLimitPartition.GetFixedWindowLimiter("api:" + ip, _ => new FixedWindowRateLimiterOptions { PermitLimit = web.ApiRequestsPerWindow, Window = window });
        return RateLimitPartition.GetNoLimiter("none");
    }
}
