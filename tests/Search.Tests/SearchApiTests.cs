using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Portal.Search.Apis;
using Portal.Search.Extensions;

namespace Portal.Search.Tests;

/// <summary>A real Kestrel host on 127.0.0.1:0 with AddSearch and MapSearchApi, as the Portal wires them.</summary>
public sealed class SearchHostFixture : IAsyncLifetime
{
    private readonly TempDirectory _directory = new("search-tests-");
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Search:IndexPath"] = _directory.IndexPath;
        builder.Services.AddSingleton<ISearchDocumentSource>(new ListDocumentSource(Corpus.Documents()));
        builder.AddSearch();
        _app = builder.Build();
        _app.Urls.Add("http://127.0.0.1:0");
        _app.MapSearchApi();
        await _app.StartAsync();
        await _app.Services.GetRequiredService<SearchIndexService>().Opened.WaitAsync(TimeSpan.FromSeconds(60));
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _directory.Dispose();
    }
}

public sealed class SearchApiTests(SearchHostFixture host) : IClassFixture<SearchHostFixture>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> GetAsync(string query)
    {
        var response = await host.Client.GetAsync("/api/v1/search?" + query, Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    [Fact]
    public async Task SearchAnswersCamelCaseJsonWithHitsCountsAndHighlights()
    {
        var (status, body, response) = await GetAsync("q=" + Uri.EscapeDataString("Мирзиёев"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("public", response.Headers.CacheControl?.ToString());
        Assert.Equal(1, body.GetProperty("total").GetInt32());
        Assert.Equal(1, body.GetProperty("counts").GetProperty("candidate").GetInt32());
        Assert.Equal(0, body.GetProperty("counts").GetProperty("station").GetInt32());
        Assert.Equal("ready", body.GetProperty("indexState").GetString());
        var hit = body.GetProperty("hits")[0];
        Assert.Equal("candidate", hit.GetProperty("type").GetString());
        Assert.Equal("c-1", hit.GetProperty("id").GetString());
        Assert.Equal("/contests/legislative/constituencies/1", hit.GetProperty("url").GetString());
        Assert.Equal("<mark>Мирзиёев</mark> Акмал Баҳодирович", hit.GetProperty("title").GetString());
        Assert.Equal("tashkent-city", hit.GetProperty("regionId").GetString());
        Assert.Equal("uzlidep", hit.GetProperty("details").GetProperty("party").GetString());
    }

    [Fact]
    public async Task FiltersAndPagingAreReadFromTheQueryString()
    {
        var (status, body, _) = await GetAsync("q=saylov&type=decision&from=2024-08-01&to=2024-09-30&page=1&pageSize=5");
        Assert.Equal(HttpStatusCode.OK, status);
        var hits = body.GetProperty("hits").EnumerateArray().ToList();
        Assert.Equal(["msk-2", "msk-3"], hits.Select(h => h.GetProperty("id").GetString()).Order());
        Assert.All(hits, h => Assert.Equal("decision", h.GetProperty("type").GetString()));
        Assert.Equal(5, body.GetProperty("pageSize").GetInt32());

        var (_, fergana, _) = await GetAsync("q=saylov&region=fergana");
        Assert.All(fergana.GetProperty("hits").EnumerateArray(), h => Assert.Equal("fergana", h.GetProperty("regionId").GetString()));
    }

    public static TheoryData<string, string> MalformedQueries() => new()
    {
        { "\"unclosed", "unclosed_quote" },
        { "AND", "syntax" },
        { "*", "wildcard" },
        { string.Concat(Enumerable.Repeat("saylov okrugi ", 750)), "too_long" },      // 10 KB of Latin text
        { string.Concat(Enumerable.Repeat("сайлов округи ", 750)), "too_long" },      // 10 KB of Cyrillic (60 KB encoded)
    };

    [Theory]
    [MemberData(nameof(MalformedQueries))]
    public async Task MalformedQueryIs400WithAFieldError(string query, string code)
    {
        var (status, body, response) = await GetAsync("q=" + Uri.EscapeDataString(query));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal("q", error.GetProperty("field").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Theory]
    [InlineData("q=a&type=person", "type")]
    [InlineData("q=a&page=0", "page")]
    [InlineData("q=a&page=x", "page")]
    [InlineData("q=a&pageSize=1000", "pageSize")]
    [InlineData("q=a&from=yesterday", "from")]
    [InlineData("q=a&from=2024-10-01&to=2024-09-01", "to")]
    [InlineData("q=a&lang=de", "lang")]
    [InlineData("q=a&page=1000&pageSize=100", "page")]
    public async Task BadParameterIs400NamingIt(string query, string field)
    {
        var (status, body, _) = await GetAsync(query);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(body.GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
    }
}
