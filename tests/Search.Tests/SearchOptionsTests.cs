using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Portal.Search.Extensions;

namespace Portal.Search.Tests;

public sealed class SearchOptionsTests
{
    private const string Secret = "s3cr3t-api-key-value";

    private static IReadOnlyList<string> Errors(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
        return (configuration.GetSection("Search").Get<SearchOptions>() ?? new SearchOptions()).Validate();
    }

    [Fact]
    public void TheDefaultIsTheEmbeddedLuceneIndex()
    {
        Assert.Empty(Errors());
        Assert.False(new SearchOptions().UsesElasticsearch);
    }

    [Fact]
    public void ElasticsearchWithoutAUrlIsRefusedNamingTheKeyAndNotTheSecret()
    {
        var errors = Errors(("Search:Backend", "elasticsearch"), ("Search:Elasticsearch:ApiKey", Secret));
        var error = Assert.Single(errors);
        Assert.Contains("Search:Elasticsearch:Url", error);
        Assert.DoesNotContain(Secret, error);
    }

    [Theory]
    [InlineData("Search:Backend", "solr", "Search:Backend")]
    [InlineData("Search:Elasticsearch:Url", "ftp://es:9200", "Search:Elasticsearch:Url")]
    [InlineData("Search:Elasticsearch:Url", "https://elastic:s3cr3t-api-key-value@es:9200", "Username and Password")]
    [InlineData("Search:Elasticsearch:Index", "Portal*", "Search:Elasticsearch:Index")]
    [InlineData("Search:Elasticsearch:CertificateFingerprint", "abc", "CertificateFingerprint")]
    [InlineData("Search:Elasticsearch:Username", "portal", "go together")]
    public void BadElasticsearchSettingsAreRefused(string key, string value, string named)
    {
        var settings = new List<(string, string)> { ("Search:Backend", "elasticsearch"), ("Search:Elasticsearch:Url", "http://127.0.0.1:9200") };
        settings.RemoveAll(s => s.Item1 == key);
        settings.Add((key, value));
        var errors = Errors([.. settings]);
        Assert.Contains(errors, e => e.Contains(named, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain(Secret, e));
    }

    [Fact]
    public void SeveralNodesAndAnApiKeyAreAccepted()
    {
        Assert.Empty(Errors(("Search:Backend", "Elasticsearch"), ("Search:Elasticsearch:Url", "https://es-1:9200, https://es-2:9200"),
            ("Search:Elasticsearch:ApiKey", Secret),
            ("Search:Elasticsearch:CertificateFingerprint", "94:75:CE:4F:EB:05:32:83:40:B8:18:BB:79:01:7B:E0:F0:B6:C3:01:57:DB:4D:F5:D8:B8:A6:BA:BD:6D:C5:C4")));
    }

    [Fact]
    public void AddSearchRefusesToRegisterAnUnusableBackend()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Search:Backend"] = "elasticsearch";
        var error = Assert.Throws<SearchConfigurationException>(() => builder.AddSearch());
        Assert.Contains(error.Errors, e => e.Contains("Search:Elasticsearch:Url", StringComparison.Ordinal));
    }
}
