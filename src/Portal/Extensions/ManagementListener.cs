using Portal.Ops;

namespace Portal.Extensions;

/// <summary>Section "Management": the listener for metrics, cluster health and the detailed health report.</summary>
public sealed class ManagementOptions
{
    public const string Section = "Management";

    /// <summary>The default: loopback only, a fixed port (a scraper and a test must know where to look).</summary>
    public const string DefaultUrls = "http://127.0.0.1:9184";

    /// <summary>
    /// Where the management endpoints are answered (';'-separated URLs with explicit, non-zero ports). Empty: no listener,
    /// the endpoints answer only a logged-in ops admin.
    /// </summary>
    public string Urls { get; set; } = DefaultUrls;

    public IReadOnlyList<int> Ports() =>
        [.. Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal)).Port)];
}

/// <summary>
/// Internals (silo addresses, per-route counts, check descriptions) are answered on the management listener or to a
/// logged-in ops admin; anyone else, on the public listener, gets 404 as if they did not exist. The listener is told by
/// the connection's local port, never by the Host header (a client can send any <c>Host: x:9184</c>).
/// </summary>
public static class ManagementListener
{
    private sealed class ManagementOnlyMetadata;

    private static readonly ManagementOnlyMetadata Marker = new();

    /// <summary>Adds the management URLs to the ones Kestrel listens on (<c>urls</c>, <c>http_ports</c> or Kestrel's default).</summary>
    public static void Add(IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(ManagementOptions.Section).Get<ManagementOptions>() ?? new ManagementOptions();
        var ports = options.Ports();
        if (ports.Any(p => p <= 0)) throw new InvalidOperationException("Management:Urls needs explicit non-zero ports");
        builder.Services.AddSingleton(options);
        if (ports.Count == 0 || builder is not WebApplicationBuilder web) return;
        var urls = builder.Configuration["urls"];
        if (string.IsNullOrWhiteSpace(urls))
        {
            var httpPorts = builder.Configuration["http_ports"];
            urls = string.IsNullOrWhiteSpace(httpPorts) ? "http://localhost:5000"
                : string.Join(';', httpPorts.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"http://*:{p}"));
        }
        web.WebHost.UseUrls(urls + ";" + options.Urls);
    }

    /// <summary>Marks an endpoint as answered only on the management listener or to an ops admin.</summary>
    public static TBuilder ManagementOnly<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(Marker);

    /// <summary>Call after authentication (the ops admin is recognised by the session cookie).</summary>
    public static IApplicationBuilder UseManagementOnly(this IApplicationBuilder app)
    {
        var ports = app.ApplicationServices.GetRequiredService<ManagementOptions>().Ports();
        return app.Use((context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<ManagementOnlyMetadata>() is null || IsManagement(context, ports)) return next(context);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    }

    public static bool IsManagement(HttpContext context, IReadOnlyList<int> ports) =>
        (context.Connection.LocalPort is > 0 and var port && ports.Contains(port))
        || (context.User.Identity?.IsAuthenticated == true && context.User.IsInRole(OpsRoles.Admin));
}
