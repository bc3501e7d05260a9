using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains.Model;
using Portal.Ingest.Decisions;

namespace Portal.Tests;

/// <summary>The public search page and the decision page over the real host and its Lucene index.</summary>
public sealed class SearchPageTests(PortalHostFactory factory) : IClassFixture<PortalHostFactory>
{
    /// <summary>The index is built in the background at start; wait until a search answers with hits.</summary>
    private async Task<string> SearchUntilFoundAsync(HttpClient client, string url)
    {
        // An empty result list is also rendered while the background rebuild is still indexing: wait for a hit itself.
        var (html, _) = await Wait.ProbeAsync(() => client.GetStringAsync(url), page => page.Contains("<li class=\"search-hit\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500));
        return html;
    }

    [Fact]
    public async Task ACandidateIsFoundByTheCyrillicFormOfTheNameWithHighlightsAndALinkToTheConstituency()
    {
        var client = factory.CreateClient();
        var catalog = factory.Services.GetRequiredService<ElectionCatalog>();
        var constituency = catalog.Election.Contests[0].Constituencies[0];
        var candidate = constituency.Candidates[0];
        var surnameCyrillic = candidate.NameForms!["uz-Cyrl"].Split(' ')[0];

        var html = await SearchUntilFoundAsync(client, "/search?type=candidate&q=" + Uri.EscapeDataString(surnameCyrillic));

        Assert.Contains("<mark>", html);
        Assert.Contains($"href=\"/contests/{catalog.Election.Contests[0].Id}/constituencies/", html);
        Assert.Contains("data-testid=\"search-counts\"", html);
    }

    [Fact]
    public async Task AMalformedQueryIsExplainedOnThePageNotAServerError()
    {
        var response = await factory.CreateClient().GetAsync("/search?q=" + Uri.EscapeDataString("\"unclosed"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data-testid=\"search-errors\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ScriptInAQueryIsNeverEchoedAsMarkup()
    {
        var html = await factory.CreateClient().GetStringAsync("/search?q=" + Uri.EscapeDataString("<script>alert(1)</script>"));
        Assert.DoesNotContain("<script>alert(1)</script>", html);
    }

    [Fact]
    public async Task APublishedDecisionHasItsOwnPageAndAnUnknownOneIsNotFound()
    {
        var client = factory.CreateClient();
        var decision = (await factory.Services.GetRequiredService<IDecisionArchive>().ListAsync(CancellationToken.None))[0];
        var html = await client.GetStringAsync("/decisions/" + Uri.EscapeDataString(decision.Id));
        Assert.Contains(WebUtility.HtmlEncode(decision.Number), html);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/decisions/no-such-decision")).StatusCode);
    }
}
