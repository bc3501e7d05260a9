using System.Text.Json;
using Elastic.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Search.Elasticsearch;
using Portal.Search.Tests;
using Portal.Search.Tests.Behaviour;

namespace Portal.Search.ElasticsearchTests;

/// <summary>
/// A real Elasticsearch 9 server under the behaviour suite: ELASTICSEARCH_URL (and ELASTICSEARCH_API_KEY, or
/// ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD, if the cluster needs them). Each index gets its own prefix
/// portal-test-*, removed afterwards. Without the variable every test fails, naming it: these tests are asked for.
/// </summary>
public sealed class ElasticsearchServer : SearchBackendFixture
{
    public const string UrlVariable = "ELASTICSEARCH_URL";
    private readonly Dictionary<string, ElasticsearchSearchIndex> _cleaners = [];

    private static ElasticsearchOptions Options(string prefix)
    {
        var url = Environment.GetEnvironmentVariable(UrlVariable);
        if (string.IsNullOrWhiteSpace(url))
            Assert.Fail($"No Elasticsearch server: set {UrlVariable} (e.g. http://127.0.0.1:9200) to run the behaviour suite against one. " +
                "None can be installed on the project's build machines; CI leaves this category out (README, Search on Elasticsearch).");
        return new ElasticsearchOptions
        {
            Url = url, Index = prefix,
            ApiKey = Environment.GetEnvironmentVariable("ELASTICSEARCH_API_KEY"),
            Username = Environment.GetEnvironmentVariable("ELASTICSEARCH_USERNAME"),
            Password = Environment.GetEnvironmentVariable("ELASTICSEARCH_PASSWORD"),
            CertificateFingerprint = Environment.GetEnvironmentVariable("ELASTICSEARCH_CERTIFICATE_FINGERPRINT"),
        };
    }

    protected override string NewPlace() => "portal-test-" + Guid.NewGuid().ToString("N")[..12];

    protected override ISearchIndex CreateIndex(string place) => new ElasticsearchSearchIndex(Options(place), NullLogger<ElasticsearchSearchIndex>.Instance);

    protected override async ValueTask RemovePlaceAsync(string place)
    {
        using var index = new ElasticsearchSearchIndex(Options(place), NullLogger<ElasticsearchSearchIndex>.Instance);
        var transport = index.Client.Transport;
        await transport.RequestAsync<StringResponse>(new EndpointPath(Elastic.Transport.HttpMethod.DELETE, $"/{place}-*"), null, null, null, CancellationToken.None);
        await transport.RequestAsync<StringResponse>(new EndpointPath(Elastic.Transport.HttpMethod.DELETE, $"/_index_template/{place}"), null, null, null, CancellationToken.None);
    }
}

[Trait("Category", "ElasticsearchServer")]
public sealed class ElasticsearchQueryTests(ElasticsearchServer backend) : QueryBehaviour<ElasticsearchServer>(backend);

[Trait("Category", "ElasticsearchServer")]
public sealed class ElasticsearchLanguageTests(ElasticsearchServer backend) : LanguageBehaviour<ElasticsearchServer>(backend);

[Trait("Category", "ElasticsearchServer")]
public sealed class ElasticsearchLifecycleTests(ElasticsearchServer backend) : LifecycleBehaviour<ElasticsearchServer>(backend);
