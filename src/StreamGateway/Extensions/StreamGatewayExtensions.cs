using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.StreamGateway.Archive;
using Portal.StreamGateway.Health;
using Portal.StreamGateway.Hls;
using Portal.StreamGateway.Placement;
using Portal.StreamGateway.Supervision;
using StackExchange.Redis;

namespace Portal.StreamGateway.Extensions;

public static class StreamGatewayExtensions
{
    /// <summary>
    /// The stream gateway: camera supervision (when Gateway:Supervise), the archive janitor and what the HLS origin needs.
    /// Needs an <c>ElectionCatalog</c> and an <c>IGrainFactory</c> (the co-hosted silo or a cluster client) in the container.
    /// </summary>
    public static IHostApplicationBuilder AddStreamGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>()
            .BindConfiguration(GatewayOptions.SectionName)
            .PostConfigure(o => o.NodeName ??= $"{Environment.MachineName}-{Environment.ProcessId}")
            .ValidateDataAnnotations()
            .Validate(o => o.Placement is "embedded" or "redis", "Gateway:Placement must be \"embedded\" or \"redis\"")
            .Validate(o => o.Placement != "redis" || !string.IsNullOrWhiteSpace(o.RedisConfiguration), "Gateway:RedisConfiguration is required when Gateway:Placement is \"redis\"")
            .Validate(o => o.ListenPortStart + o.ListenPortCount - 1 <= 65535, "Gateway:ListenPortStart + ListenPortCount exceeds 65535")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CameraPaths>();
        services.TryAddSingleton<SegmentIndex>();
        services.TryAddSingleton<ICameraStateSink, GrainCameraStateSink>();
        services.TryAddSingleton<ICameraOwnership>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            if (o.Placement != "redis") return new EmbeddedCameraOwnership();
            // The host's shared connection when it has one (the portal in cluster mode), else one of its own.
            var redis = sp.GetService<IConnectionMultiplexer>() ?? ConnectionMultiplexer.Connect(o.RedisConfiguration!);
            return new RedisCameraOwnership(redis, o.NodeName!, o.RedisKeyPrefix, o.LeaseTtl, sp.GetRequiredService<ILogger<RedisCameraOwnership>>());
        });
        services.AddSingleton<ArchiveJanitor>();
        services.AddHostedService(sp => sp.GetRequiredService<ArchiveJanitor>());
        services.AddSingleton<FfmpegLauncher>();
        services.AddSingleton<SegmentThumbnailer>();
        services.AddSingleton<CameraSupervisor>();
        services.AddHostedService<BackgroundService>(sp => sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Supervise
            ? sp.GetRequiredService<CameraSupervisor>()
            : new IdleService());
        // Not AddHostedService: a second factory of the same service type would be dropped as a duplicate.
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Supervise
            ? sp.GetRequiredService<SegmentThumbnailer>()
            : new IdleService());
        return builder;
    }

    /// <summary>GET /hls/{cameraId}/live.m3u8, /hls/{cameraId}/archive.m3u8?from=&amp;to=, /hls/{cameraId}/{segment}.ts, /hls/{cameraId}/thumb.jpg; CORS on all.</summary>
    public static IEndpointRouteBuilder MapHlsOrigin(this IEndpointRouteBuilder app)
    {
        var origin = app.ServiceProvider.GetRequiredService<IOptions<GatewayOptions>>().Value.CorsOrigin;
        var hls = app.MapGroup("/hls").WithTags("HLS");
        hls.AddEndpointFilter(async (context, next) =>
        {
            HlsOrigin.AddCors(context.HttpContext.Response, origin);
            return await next(context);
        });
        hls.MapGet("/{cameraId}/live.m3u8", HlsOrigin.Live);
        hls.MapGet("/{cameraId}/archive.m3u8", (string cameraId, string? from, string? to, HttpContext http, Portal.Grains.Model.ElectionCatalog catalog,
            CameraPaths paths, SegmentIndex index, IOptions<GatewayOptions> options, TimeProvider time) =>
            HlsOrigin.Archive(cameraId, from, to, http, catalog, paths, index, options, time));
        hls.MapGet("/{cameraId}/thumb.jpg", HlsOrigin.Thumbnail);
        hls.MapGet("/{cameraId}/{segment}", HlsOrigin.Segment);
        hls.MapMethods("/{**path}", [HttpMethods.Options], (HttpContext http) =>
        {
            http.Response.Headers.AccessControlAllowMethods = "GET, HEAD, OPTIONS";
            http.Response.Headers.AccessControlAllowHeaders = "Range";
            http.Response.Headers.AccessControlMaxAge = "86400";
            return Results.NoContent();
        });
        return app;
    }

    /// <summary>Stands in for the supervisor on origin-only nodes.</summary>
    private sealed class IdleService : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
    }
}
