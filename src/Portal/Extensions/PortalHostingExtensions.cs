using Portal.Components;
using Portal.Grains.Model;
using Portal.Hosting;
using Prometheus;
using Serilog;
using Serilog.Extensions.Logging;
using DemoOptions = Portal.Hosting.DemoOptions;

namespace Portal.Extensions;

public static class PortalHostingExtensions
{
    /// <summary>Loads or generates the election and registers its catalog for grains, pages and APIs.</summary>
    /// <exception cref="DefinitionException">the definition or the keys were refused.</exception>
    public static IHostApplicationBuilder AddElection(this IHostApplicationBuilder builder)
    {
        var options = PortalOptions.From(builder.Configuration);
        var demo = builder.Configuration.GetSection("Demo").Get<Portal.Hosting.DemoOptions>() ?? new Portal.Hosting.DemoOptions();
        Directory.CreateDirectory(options.DataDir);
        using var loggerFactory = new SerilogLoggerFactory(new LoggerConfiguration().WriteTo.Console().CreateLogger(), dispose: true);
        var catalog = ElectionSetup.Load(options, demo, loggerFactory.CreateLogger("Portal.Startup"));
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(demo);
        builder.Services.AddSingleton(catalog);
        return builder;
    }

    public static IHostApplicationBuilder AddPortalSilo(this IHostApplicationBuilder builder)
    {
        var cluster = builder.Configuration.GetSection("Cluster").Get<PortalClusterOptions>() ?? new PortalClusterOptions();
        builder.AddPortalSilo(cluster);
        builder.AddPortalHealth(cluster);
        return builder;
    }

    public static IHostApplicationBuilder AddPortalWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorComponents();
        return builder;
    }

    public static WebApplication UsePortalWeb(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found");
        app.UseHttpMetrics();
        app.UseOps();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPortalPages(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddOpsRenderMode();
        return app;
    }
}
