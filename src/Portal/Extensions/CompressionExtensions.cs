using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;

namespace Portal.Extensions;

/// <summary>
/// Smaller pages on mobile data: HTML and JSON compressed per response (Brotli, else gzip), static files served from their
/// build-time Brotli/gzip copies with long immutable caching under fingerprinted names.
/// </summary>
public static class CompressionExtensions
{
    // Run from the build output, MapStaticAssets treats the build manifest as a developer's and "reloads at runtime": it
    // rewrites every Cache-Control to no-cache and, for any file whose size or time differs from the manifest (the npm
    // libraries copied by `npm run build`), sends gzip made with CompressionLevel.NoCompression (hls.min.js went out as
    // 624 KB labelled gzip). The files do not change under a running portal, so that mode is off unless asked for.
    private const string ReloadStaticAssetsAtRuntime = "ReloadStaticAssetsAtRuntime";

    // Live and machine paths are left alone: the hub streams (server-sent events, long polling), HLS is already compressed,
    // and ops pages carry antiforgery tokens (no compression where a secret sits beside reflected input: BREACH).
    private static readonly string[] Uncompressed = ["/hubs", "/hls", "/ops", "/account", "/metrics", "/healthz"];

    public static IHostApplicationBuilder AddPortalCompression(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration[ReloadStaticAssetsAtRuntime] is null)
            builder.Configuration.AddInMemoryCollection([new(ReloadStaticAssetsAtRuntime, "false")]);
        builder.Services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = [.. ResponseCompressionDefaults.MimeTypes, "application/atom+xml", "image/svg+xml", "application/problem+json"];
        });
        // Fastest: a page is compressed on every response (the output cache keeps it uncompressed); level 1 Brotli is
        // still well under gzip's size for HTML and costs about what gzip does.
        builder.Services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        builder.Services.Configure<GzipCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        return builder;
    }

    public static IApplicationBuilder UsePortalCompression(this IApplicationBuilder app) =>
        app.UseWhen(context => !Uncompressed.Any(p => context.Request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)),
            branch => branch.UseResponseCompression());
}
