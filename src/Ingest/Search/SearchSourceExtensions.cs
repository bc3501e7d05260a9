using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Portal.Grains.Model;
using Portal.Ingest.Decisions;
using Portal.Search;

namespace Portal.Ingest.Search;

public static class SearchSourceExtensions
{
    /// <summary>
    /// Feeds the search index from the election (needs the <see cref="ElectionCatalog"/> singleton) and the decision
    /// archive, and registers the decision publisher. <paramref name="demoDecisions"/>: seed the archive with the
    /// generated demo decisions (use with the demo election).
    /// </summary>
    public static IHostApplicationBuilder AddElectionSearchSource(this IHostApplicationBuilder builder, bool demoDecisions)
    {
        builder.Services.TryAddSingleton<IDecisionArchive>(sp =>
        {
            var archive = new InMemoryDecisionArchive();
            if (demoDecisions)
                archive.AddRange(DemoDecisionGenerator.Generate(sp.GetRequiredService<ElectionCatalog>().Election, new DemoDecisionOptions()));
            return archive;
        });
        builder.Services.TryAddSingleton<ISearchDocumentSource, ElectionSearchDocumentSource>();
        builder.Services.TryAddSingleton<IDecisionPublisher, DecisionPublisher>();
        return builder;
    }
}
