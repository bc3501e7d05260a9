using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Search.Apis;
using Portal.Search.Elasticsearch;
using Portal.Search.Extensions;

namespace Portal.Search.Tests.Elasticsearch;

/// <summary>
/// A real Kestrel host wired as the Portal wires search (AddSearch, MapSearchApi, health checks) with
/// Search:Backend=elasticsearch against <see cref="FakeElasticsearch"/> (a protocol test double, not a server).
/// </summary>
public sealed class ElasticsearchHostTests : IAsyncLifetime
{
    private const string Secret = "aG9zdC10ZXN0LWtleS1pZDpob3N0LXRlc3Qta2V5LXNlY3JldA==";
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;
    private readonly TempDirectory _directory = new("search-tests-");
    private readonly RecordingLoggerProvider _logs = new();
    private FakeElasticsearch _server = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private volatile bool _refuse;

    public async ValueTask InitializeAsync()
    {
        _server = await FakeElasticsearch.StartAsync();
        _server.Respond = r => _refuse
            ? (401, Responses.Error("security_exception", "unable to authenticate with provided credentials and anonymous access is not allowed for this request", 401))
            : r.Line switch
            {
                "GET /_alias/portal-search" => (404, """{"error":"alias [portal-search] missing","status":404}"""),
                "GET /portal-search/_count" => (200, Responses.Read("count.json")),
                "POST /portal-search/_search" => (200, Responses.Read("search-hits.json")),
                _ when r.Path.EndsWith("/_bulk", StringComparison.Ordinal) => (200, Responses.Read("bulk-ok.json")),
                _ when r.Method is "PUT" or "POST" or "DELETE" => (200, Responses.Acknowledged),
                _ => null,
            };
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders().AddProvider(_logs).SetMinimumLevel(LogLevel.Trace);
        builder.Configuration["Search:Backend"] = "elasticsearch";
        builder.Configuration["Search:IndexPath"] = _directory.IndexPath;
        builder.Configuration["Search:Elasticsearch:Url"] = _server.Url.ToString();
        builder.Configuration["Search:Elasticsearch:ApiKey"] = Secret;
        builder.Services.AddSingleton<ISearchDocumentSource>(new ListDocumentSource(Corpus.Documents()));
        builder.AddSearch();
        _app = builder.Build();
        _app.Urls.Add("http://127.0.0.1:0");
        _app.MapSearchApi();
        _app.MapHealthChecks("/healthz", new HealthCheckOptions
        {
            ResponseWriter = (context, report) => context.Response.WriteAsJsonAsync(report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description })),
        });
        await _app.StartAsync();
        await _app.Services.GetRequiredService<SearchIndexService>().Opened.WaitAsync(TimeSpan.FromSeconds(60));
        _client = new HttpClient { BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _server.DisposeAsync();
        _directory.Dispose();
    }

    [Fact]
    public async Task TheSearchApiAnswersFromElasticsearchAndNoNodeKeepsALuceneCopy()
    {
        Assert.IsType<ElasticsearchSearchIndex>(_app.Services.GetRequiredService<ISearchIndex>());
        var response = await _client.GetAsync("/api/v1/search?q=" + Uri.EscapeDataString("Мирзиёев"), Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;
        Assert.Equal("<mark>Мирзиёев</mark> Акмал Баҳодирович", body.GetProperty("hits")[0].GetProperty("title").GetString());
        Assert.Equal(4, body.GetProperty("counts").GetProperty("decision").GetInt32());

        // Everything went to the cluster: the Lucene index directory was never made.
        Assert.False(Directory.Exists(_directory.IndexPath));
        Assert.Contains(_server.Requests, r => r.Path.EndsWith("/_bulk", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HealthNamesTheBackendAndARefusingClusterIsUnhealthyWithTheKeyNowhere()
    {
        var healthy = JsonDocument.Parse(await _client.GetStringAsync("/healthz", Cancel)).RootElement.GetProperty("search");
        Assert.Equal("Healthy", healthy.GetProperty("status").GetString());
        Assert.Equal("elasticsearch answers; index portal-search ready, 1101 documents", healthy.GetProperty("description").GetString());

        _refuse = true;
        var search = await _client.GetAsync("/api/v1/search?q=saylov", Cancel);
        var page = await search.Content.ReadAsStringAsync(Cancel);
        var health = await _client.GetAsync("/healthz", Cancel);
        var healthText = await health.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, search.StatusCode);
        Assert.Equal("index_unavailable", JsonDocument.Parse(page).RootElement.GetProperty("errors")[0].GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("Unhealthy", JsonDocument.Parse(healthText).RootElement.GetProperty("search").GetProperty("status").GetString());
        Assert.Contains(_logs.Lines, l => l.Contains("security_exception", StringComparison.Ordinal));
        // The key went to the cluster, and nowhere else.
        Assert.All(_server.Requests, r => Assert.Equal("ApiKey " + Secret, r.Headers["Authorization"]));
        foreach (var text in _logs.Lines.Append(page).Append(healthText))
            Assert.DoesNotContain(Secret, text);
    }
}
