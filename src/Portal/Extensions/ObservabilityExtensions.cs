using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Hosting;
using Portal.Hubs;
using Prometheus;
using Serilog;
using Serilog.Formatting.Compact;

namespace Portal.Extensions;

public static class ObservabilityExtensions
{
    /// <summary>Serilog to the console: text for a person at a terminal, JSON lines for a service manager or a log shipper.</summary>
    public static IHostApplicationBuilder AddPortalLogging(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, log) =>
        {
            log.ReadFrom.Configuration(builder.Configuration)
                // Sinks, enrichers or filters registered as services (a test's capturing sink) join the configured ones.
                .ReadFrom.Services(services)
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Orleans", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Polly", Serilog.Events.LogEventLevel.Warning)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Node", Environment.MachineName);
            // Bad live-hub calls are counted and summarised, not logged one by one with a stack trace.
            if (services.GetService<LiveHubMetrics>() is { } live) log.Filter.With(new LiveHubFaultLog(live));
            if (Console.IsOutputRedirected) log.WriteTo.Console(new RenderedCompactJsonFormatter());
            else log.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}");
        });
        return builder;
    }

    public static IHostApplicationBuilder AddPortalHealth(this IHostApplicationBuilder builder, PortalClusterOptions cluster)
    {
        builder.Services.AddSingleton(cluster);
        builder.Services.AddHealthChecks()
            .AddCheck<SiloHealthCheck>("silo", tags: ["ready"])
            .AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        return builder;
    }

    /// <summary>
    /// <c>/healthz/live</c> (the process answers) and <c>/healthz/ready</c> (silo and storage) for load balancers, with check
    /// names and states only; on the management listener (or to an ops admin) only: <c>/healthz</c> (everything, with the
    /// checks' descriptions), <c>/healthz/cluster</c> (silo addresses) and <c>/metrics</c> (Prometheus).
    /// </summary>
    public static WebApplication MapPortalHealthAndMetrics(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync }).DisableHttpMetrics().ManagementOnly();
        app.MapHealthChecks("/healthz/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthResponse.WritePublicAsync });
        app.MapHealthChecks("/healthz/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthResponse.WritePublicAsync });
        app.MapGet("/healthz/cluster", ClusterMembership.GetAsync).DisableHttpMetrics().ManagementOnly();
        app.MapMetrics("/metrics").ManagementOnly();
        return app;
    }
}
