using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.Search.Elasticsearch;
using Portal.Search.Lucene;

namespace Portal.Search.Extensions;

public static class SearchExtensions
{
    /// <summary>Longest request line Kestrel accepts, raised so a too-long query gets our 400, not Kestrel's 414.</summary>
    public const int MaxRequestLineBytes = 128 * 1024;

    /// <summary>
    /// Registers the search backend <c>Search:Backend</c> names (the embedded Lucene index by default, or Elasticsearch),
    /// the hosted service that opens or rebuilds it, and the "search" health check. The host supplies the documents by
    /// registering an <see cref="ISearchDocumentSource"/>.
    /// </summary>
    /// <exception cref="SearchConfigurationException">The settings are unusable (e.g. Elasticsearch without a URL).</exception>
    public static IHostApplicationBuilder AddSearch(this IHostApplicationBuilder builder)
    {
        // Checked now, not at the first request: a node must not start with a search it cannot reach.
        var configured = builder.Configuration.GetSection(SearchOptions.SectionName).Get<SearchOptions>() ?? new SearchOptions();
        var errors = configured.Validate();
        if (errors.Count > 0) throw new SearchConfigurationException(errors);

        builder.Services.AddOptions<SearchOptions>()
            .BindConfiguration(SearchOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.Validate().Count == 0, "Search settings are invalid.")
            .ValidateOnStart();
        if (configured.UsesElasticsearch)
        {
            builder.Services.AddSingleton<ElasticsearchSearchIndex>();
            builder.Services.AddSingleton<ISearchIndex>(sp => sp.GetRequiredService<ElasticsearchSearchIndex>());
        }
        else
        {
            builder.Services.AddSingleton<LuceneSearchIndex>();
            builder.Services.AddSingleton<ISearchIndex>(sp => sp.GetRequiredService<LuceneSearchIndex>());
        }
        builder.Services.AddSingleton<SearchIndexService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SearchIndexService>());
        // Elasticsearch is the cluster's: without it this node cannot serve searches nor publish decisions.
        builder.Services.AddHealthChecks().AddCheck<SearchHealthCheck>(SearchHealthCheck.Name, tags: configured.UsesElasticsearch ? ["ready"] : []);
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestLineSize = Math.Max(kestrel.Limits.MaxRequestLineSize, MaxRequestLineBytes));
        return builder;
    }
}
