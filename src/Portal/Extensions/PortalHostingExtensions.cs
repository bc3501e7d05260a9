using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using StackExchange.Redis;
using Portal.Components;
using Portal.Grains.Model;
using Portal.Hosting;
using Prometheus;
using Serilog;
using Serilog.Extensions.Logging;

namespace Portal.Extensions;

public static class PortalHostingExtensions
{
    /// <summary>Loads or generates the election and registers its catalog for grains, pages and APIs.</summary>
    /// <exception cref="DefinitionException">the definition or the keys were refused.</exception>
    public static IHostApplicationBuilder AddElection(this IHostApplicationBuilder builder)
    {
        var options = PortalOptions.From(builder.Configuration);
        Directory.CreateDirectory(options.DataDir);
        DataLayout.ApplyDefaults(builder.Configuration, options);
        var demo = builder.Configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions();
        using var loggerFactory = new SerilogLoggerFactory(new LoggerConfiguration().WriteTo.Console().CreateLogger(), dispose: true);
        var catalog = ElectionSetup.Load(options, demo, loggerFactory.CreateLogger("Portal.Startup"));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(catalog);
        return builder;
    }

    /// <summary>The hosting decision of this builder (made once, on the first call).</summary>
    public static HostingPlan GetHostingPlan(this IHostApplicationBuilder builder) => HostingPlan.For(builder);

    public static IHostApplicationBuilder AddPortalSilo(this IHostApplicationBuilder builder)
    {
        var plan = builder.GetHostingPlan();
        builder.Services.AddSingleton(plan);
        if (plan.Clustered)
        {
            // One Redis connection per process for the portal's own uses (health, data-protection keys, camera leases,
            // login lockout, change announcements). It reconnects by itself: a Redis restart needs no node restart.
            var redis = ConfigurationOptions.Parse(plan.Cluster.Redis);
            redis.AbortOnConnectFail = false;
            builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
            builder.Services.AddSingleton(sp => ClusterDemoClock.Create(sp, plan));
        }
        builder.AddPortalSilo(plan.Cluster);
        builder.AddPortalHealth(plan.Cluster);
        return builder;
    }

    /// <summary>
    /// In cluster mode, the hosted service <typeparamref name="T"/> (if registered) runs on one node of the cluster at a
    /// time instead of on every node (<see cref="ClusterSingleton{T}"/>); embedded, nothing changes.
    /// </summary>
    public static IHostApplicationBuilder RunOnOneNode<T>(this IHostApplicationBuilder builder) where T : class, IHostedService
    {
        if (!builder.GetHostingPlan().Clustered) return builder;
        var hosted = builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(T)).ToList();
        if (hosted.Count == 0) return builder;
        foreach (var d in hosted) builder.Services.Remove(d);
        builder.Services.AddHostedService<ClusterSingleton<T>>();
        return builder;
    }

    public static IHostApplicationBuilder AddPortalWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        PublicPageAntiforgery.Register(builder.Services);
        ManagementListener.Add(builder);
        builder.AddPortalDataProtection();
        return builder;
    }

    /// <summary>
    /// Antiforgery tokens and ops cookies must survive a restart and be readable by every node:
    /// keys on the data dir when embedded, in Redis when clustered.
    /// </summary>
    private static void AddPortalDataProtection(this IHostApplicationBuilder builder)
    {
        var protection = builder.Services.AddDataProtection().SetApplicationName("election-portal");
        var plan = builder.GetHostingPlan();
        if (plan.Clustered)
            builder.Services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer>((o, redis) =>
                o.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), plan.RedisPrefix + "data-protection-keys"));
        else
            protection.PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(PortalOptions.From(builder.Configuration).DataDir, "data-protection")));
    }

    public static WebApplication UsePortalWeb(this WebApplication app)
    {
        app.UseHeadAsGet();
        // Routing explicitly after it (WebApplication would put it first), so a HEAD finds the GET endpoint.
        app.UseRouting();
        app.UsePublicRedirects();
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseClientFaults();
        // People get the HTML "not found" page; API clients, players and probes keep the bare status.
        app.UseStatusCodePagesWithReExecute("/not-found");
        app.Use((context, next) =>
        {
            if (IsMachinePath(context.Request.Path) && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
                pages.Enabled = false;
            return next(context);
        });
        app.UseHttpMetrics();
        app.UseOps();
        app.UseManagementOnly();
        app.UseAntiforgery();
        return app;
    }

    private static readonly string[] MachinePaths = ["/api", "/hls", "/hubs", "/healthz", "/metrics"];

    public static bool IsMachinePath(PathString path) => MachinePaths.Any(p => path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    public static WebApplication MapPortalPages(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddOpsRenderMode();
        return app;
    }
}
