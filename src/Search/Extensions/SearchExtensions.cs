using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Search.Lucene;

namespace Portal.Search.Extensions;

public static class SearchExtensions
{
    /// <summary>Longest request line Kestrel accepts, raised so a too-long query gets our 400, not Kestrel's 414.</summary>
    public const int MaxRequestLineBytes = 128 * 1024;

    /// <summary>
    /// Registers the embedded Lucene index (options section "Search") and the hosted service that opens or rebuilds it.
    /// The host supplies the documents by registering an <see cref="ISearchDocumentSource"/>.
    /// </summary>
    public static IHostApplicationBuilder AddSearch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SearchOptions>()
            .BindConfiguration(SearchOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.HealthCheckInterval > TimeSpan.Zero, "Search:HealthCheckInterval must be positive.")
            .Validate(o => o.MaxStaleness > TimeSpan.Zero, "Search:MaxStaleness must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<LuceneSearchIndex>();
        builder.Services.AddSingleton<ISearchIndex>(sp => sp.GetRequiredService<LuceneSearchIndex>());
        builder.Services.AddSingleton<SearchIndexService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SearchIndexService>());
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestLineSize = Math.Max(kestrel.Limits.MaxRequestLineSize, MaxRequestLineBytes));
        return builder;
    }
}
