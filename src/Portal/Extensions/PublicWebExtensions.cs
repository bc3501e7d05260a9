using System.Globalization;
using System.Net;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Hosting;
using Portal.Hubs;
using Portal.Live;
using Portal.Localization;
using StackExchange.Redis;

namespace Portal.Extensions;

public static class PublicWebExtensions
{
    /// <summary>
    /// The public site's services: four UI languages, the live hub with its feed (Redis backplane when Cluster:Enabled),
    /// output caching of public pages and per-IP rate limits for the anonymous API and hub.
    /// </summary>
    public static IHostApplicationBuilder AddPublicWeb(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PublicWebOptions>().BindConfiguration(PublicWebOptions.Section)
            .Validate(o => o.PageCacheSeconds >= 0 && o.ApiRequestsPerWindow > 0 && o.HubRequestsPerWindow > 0 && o.RateLimitWindowSeconds > 0,
                "PublicWeb: cache seconds must be >= 0, rate limits and window > 0")
            .Validate(o => o.MaxPageQueryLength > 0 && o.HstsMaxAgeSeconds >= 0, "PublicWeb: MaxPageQueryLength must be > 0, HstsMaxAgeSeconds >= 0")
            .Validate(o => string.IsNullOrEmpty(o.PublicOrigin) || (Uri.TryCreate(o.PublicOrigin, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && u.AbsolutePath == "/"),
                "PublicWeb:PublicOrigin must be an http(s) origin such as https://saylov.example")
            .ValidateOnStart();
        services.AddOptions<LiveFeedOptions>().BindConfiguration(LiveFeedOptions.Section)
            .Validate(o => o.FlushMilliseconds >= 50 && o.RegisterSeconds >= 1 && o.MaxSubscriptionsPerConnection >= 1, "LiveFeed: invalid values")
            .ValidateOnStart();
        var web = builder.Configuration.GetSection(PublicWebOptions.Section).Get<PublicWebOptions>() ?? new PublicWebOptions();

        // Run from the build output (not published) in any environment, the pages' css, js modules and npm libraries, and
        // their compressed variants, are found through the build's static web assets manifest. ASP.NET Core reads it in
        // Development only; without it a browser asking for gzip gets empty 200s. A published app has no manifest: no-op.
        if (builder is WebApplicationBuilder webApplication) webApplication.WebHost.UseStaticWebAssets();
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

        var plan = builder.GetHostingPlan();
        var signalR = services.AddSignalR(o => o.MaximumReceiveMessageSize = 4 * 1024);
        if (plan.Clustered)
            signalR.AddStackExchangeRedis(plan.Cluster.Redis, o =>
            {
                o.Configuration.ChannelPrefix = RedisChannel.Literal(plan.RedisPrefix + "live");
                o.Configuration.AbortOnConnectFail = false;
            });
        services.AddSingleton(new LiveBackplane(plan.Clustered));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<LiveFeedObserver>();
        services.AddSingleton<TurnoutHistory>();
        services.AddHostedService<LiveFeedService>();

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
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = web.ContentSecurityPolicy;
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
            LangRequestCultureProvider.RememberChoice(context);
            return next(context);
        });
        app.UseRateLimiter();
        app.UseOutputCache();
        return app;
    }

    /// <summary>The anonymous live hub at /hubs/live (contract section 4).</summary>
    public static IEndpointRouteBuilder MapLiveHub(this IEndpointRouteBuilder app)
    {
        app.MapHub<LiveHub>("/hubs/live");
        return app;
    }

    private static RateLimitPartition<string> Partition(HttpContext http, PublicWebOptions web)
    {
        var path = http.Request.Path;
        var ip = http.Connection.RemoteIpAddress ?? IPAddress.None;
        var window = TimeSpan.FromSeconds(web.RateLimitWindowSeconds);
        if (path.StartsWithSegments("/hubs"))
            return RateLimitPartition.GetFixedWindowLimiter("hub:" + ip, _ => new FixedWindowRateLimiterOptions { PermitLimit = web.HubRequestsPerWindow, Window = window });
        // Station devices are authenticated by signature and the intake has its own back-pressure (429 + Retry-After).
        if (path.StartsWithSegments("/api") && !(HttpMethods.IsPost(http.Request.Method) && path.StartsWithSegments("/api/v1/stations")))
            return RateLimitPartition.GetFixedWindowLimiter("api:" + ip, _ => new FixedWindowRateLimiterOptions { PermitLimit = web.ApiRequestsPerWindow, Window = window });
        return RateLimitPartition.GetNoLimiter("none");
    }
}
