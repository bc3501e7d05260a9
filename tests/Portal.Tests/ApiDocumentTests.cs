using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using Portal.Extensions;
using Portal.Apis;
using Portal.Ingest.Apis;
using Portal.Tests.Ops;

namespace Portal.Tests;

/// <summary>
/// The OpenAPI document at /openapi/v1.json parses as OpenAPI 3 and lists every public and station endpoint the app maps
/// (enumerated from the endpoint data source, like the authorisation matrix), with response types; the reference page
/// loads nothing from another origin.
/// </summary>
public sealed partial class ApiDocumentTests(OpsHostFactory factory) : IClassFixture<OpsHostFactory>
{
    /// <summary>Public routes that are not the machine interfaces the document describes, and why.</summary>
    private static readonly (Regex Pattern, string Why)[] NotInDocument =
    [
        (new("^/hubs/live"), "SignalR, not request/response: api.md section 4"),
        (new("^/(healthz|metrics)"), "internals: on the management listener only (api.md section 7)"),
        (new("^/openapi/"), "the document itself"),
        (new("^" + Regex.Escape(ApiDocumentExtensions.ReferencePath) + "(/|$)"), "the reference page for people and its script"),
        (new("^/(not-found|error)$"), "HTML pages for people"),
        (new(@"^/stations/\{stationId\}/protocols$"), "an HTML part of the station page, fetched by its live updates (api.md section 5)"),
        (new("^/ops(/|$)"), "the operations surface: staff sign in and out, not a public interface"),
        (new("^/_framework/"), "Blazor's own"),
        (new(@"^/\{\*\*path:file\}$"), "the static-asset catch-all"),
    ];

    [Fact]
    public async Task DocumentListsEveryMappedPublicAndStationEndpoint()
    {
        var document = await ReadDocumentAsync();
        var documented = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, item) in document.Paths)
            foreach (var method in item.Operations?.Keys ?? Enumerable.Empty<HttpMethod>())
                documented.Add($"{method.Method.ToUpperInvariant()} {path}");

        var pages = ComponentPagePatterns();
        var walked = EndpointWalk.Enumerate(factory.Services)
            .Where(e => e.Access is EndpointAccess.Public or EndpointAccess.Station)
            .Where(e => !pages.Contains(e.Pattern) && !IsStaticAsset(e.Pattern) && !NotInDocument.Any(n => n.Pattern.IsMatch(e.Pattern)))
            .ToList();
        // The enumeration must reach what this test is about, or it would pass with nothing to check.
        Assert.Contains(walked, e => e.Access == EndpointAccess.Station);
        Assert.Contains(walked, e => e.Pattern == "/api/v1/search");
        Assert.Contains(walked, e => e.Pattern == "/api/v1/elections/{electionId}/contests/{contestId}/forensics");
        Assert.Contains(walked, e => e.Pattern.StartsWith("/hls/", StringComparison.Ordinal));

        var missing = walked.Where(e => !documented.Contains($"{e.Method} {DocumentPath(e.Pattern)}")).Select(e => e.ToString()).ToList();
        Assert.True(missing.Count == 0, "mapped but not in /openapi/v1.json:\n" + string.Join('\n', missing));

        var apiOperations = document.Paths.Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.Operations!.Select(o => (Name: $"{o.Key.Method.ToUpperInvariant()} {p.Key}", Operation: o.Value))).ToList();
        // A success with a body describes it; a success that is only 204 has none to describe.
        var withoutBody = apiOperations.Where(o => !o.Operation.Responses!.Any(r => (r.Key is "200" or "201" && r.Value.Content is { Count: > 0 }) || r.Key == "204"))
            .Select(o => o.Name).ToList();
        Assert.True(withoutBody.Count == 0, "operations without a described response body:\n" + string.Join('\n', withoutBody));
        var errorsWithoutBody = apiOperations.SelectMany(o => o.Operation.Responses!.Where(r => r.Key[0] is '4' or '5')
                .Where(r => r.Value.Content is not { } content || !content.TryGetValue("application/json", out var media) || media.Schema is null)
                .Select(r => $"{o.Name} {r.Key}"))
            .ToList();
        Assert.True(errorsWithoutBody.Count == 0, "error statuses without their error body:\n" + string.Join('\n', errorsWithoutBody));
    }

    [Fact]
    public async Task StationEndpointsCarryTheSignatureSchemeAndEveryStatus()
    {
        var document = await ReadDocumentAsync();
        var scheme = Assert.IsType<OpenApiSecurityScheme>(document.Components!.SecuritySchemes![StationSignature.SchemeName]);
        Assert.Equal(SecuritySchemeType.ApiKey, scheme.Type);
        Assert.Equal(ParameterLocation.Header, scheme.In);
        Assert.Equal("Authorization", scheme.Name);
        Assert.Contains("StringToSign", scheme.Description, StringComparison.Ordinal);

        foreach (var path in new[] { "/api/v1/stations/{stationId}/turnout", "/api/v1/stations/{stationId}/protocols" })
        {
            var operation = document.Paths[path].Operations![HttpMethod.Post];
            var requirement = Assert.Single(operation.Security!);
            Assert.Equal(StationSignature.SchemeName, Assert.Single(requirement.Keys).Reference.Id);
            Assert.NotNull(operation.RequestBody?.Content?["application/json"].Schema);
            // api.md section 2's table, every row.
            Assert.Equal(["200", "201", "400", "401", "403", "404", "408", "409", "413", "422", "429"],
                operation.Responses!.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("the key belongs to another station", operation.Responses["403"].Description);
        }
        // Reading is anonymous: no other operation asks for the signature.
        var signedElsewhere = document.Paths.Where(p => !p.Key.StartsWith("/api/v1/stations/", StringComparison.Ordinal))
            .SelectMany(p => p.Value.Operations!.Where(o => o.Value.Security is { Count: > 0 }).Select(o => $"{o.Key} {p.Key}")).ToList();
        Assert.Empty(signedElsewhere);
    }

    [Fact]
    public async Task ReferencePageLoadsOnlyFromThisOriginUnderItsOwnPolicy()
    {
        var client = factory.Client();
        var page = await client.GetAsync(ApiDocumentExtensions.ReferencePath + "/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        var nonce = CspNonce().Match(csp);
        Assert.True(nonce.Success, csp);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        var scripts = ScriptTag().Matches(html);
        Assert.NotEmpty(scripts);
        foreach (Match script in scripts)
        {
            Assert.Contains($"nonce=\"{nonce.Groups[1].Value}\"", script.Value, StringComparison.Ordinal);
            Assert.DoesNotMatch("src=\"(https?:)?//", script.Value);
        }
        Assert.DoesNotContain("//cdn", html, StringComparison.OrdinalIgnoreCase);

        var bundle = await client.GetAsync(ApiDocumentExtensions.ReferencePath + "/scalar.js");
        Assert.Equal(HttpStatusCode.OK, bundle.StatusCode);
        Assert.True((await bundle.Content.ReadAsByteArrayAsync()).Length > 100_000, "the reference page's script is served by the portal itself");

        var data = await (await client.GetAsync("/data?lang=en")).Content.ReadAsStringAsync();
        Assert.Contains($"href=\"{ApiDocumentExtensions.ReferencePath}/\"", data, StringComparison.Ordinal);
    }

    private async Task<OpenApiDocument> ReadDocumentAsync()
    {
        var response = await factory.Client().GetAsync(ApiDocumentExtensions.DocumentPath);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await response.Content.ReadAsStringAsync();
        var read = OpenApiDocument.Parse(json, OpenApiConstants.Json, new OpenApiReaderSettings());
        Assert.True(read.Diagnostic is { Errors.Count: 0 }, "not valid OpenAPI: " + string.Join("; ", read.Diagnostic?.Errors.Select(e => $"{e.Pointer} {e.Message}") ?? []));
        Assert.Contains(read.Diagnostic!.SpecificationVersion, new[] { OpenApiSpecVersion.OpenApi3_0, OpenApiSpecVersion.OpenApi3_1 });
        return read.Document!;
    }

    /// <summary>Razor component pages: HTML for people (api.md section 5), not part of the API document.</summary>
    private HashSet<string> ComponentPagePatterns() =>
    [
        .. factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").TrimStart('/')),
    ];

    /// <summary>A file of the build's static web assets (css, js, the npm libraries): a pattern without parameters that names a file.</summary>
    private static bool IsStaticAsset(string pattern) => !pattern.Contains('{') && !pattern.StartsWith("/api/", StringComparison.Ordinal)
        && Path.HasExtension(pattern) && !pattern.StartsWith("/hls/", StringComparison.Ordinal);

    /// <summary>A route pattern as OpenAPI spells its path: parameters without catch-all stars, constraints or defaults.</summary>
    private static string DocumentPath(string pattern) => RouteParameter().Replace(pattern, m => "{" + m.Groups[1].Value + "}");

    [GeneratedRegex(@"\{\**([A-Za-z_][A-Za-z0-9_]*)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex("script-src [^;]*'nonce-([^']+)'")]
    private static partial Regex CspNonce();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();
}
