using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Portal.Apis;
using Portal.Ingest.Apis;
using Portal.Search.Apis;
using Scalar.AspNetCore;

namespace Portal.Extensions;

/// <summary>
/// The OpenAPI document of the machine interfaces (api.md sections 2, 3 and 6: station devices, open data, search,
/// statistics, HLS) at <see cref="DocumentPath"/>, and a reference page for people at <see cref="ReferencePath"/>. Ops
/// and internals are left out: the document is public.
/// </summary>
public static class ApiDocumentExtensions
{
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api/reference";

    /// <summary>
    /// The reference page's own policy. Scalar's page configures itself with one inline script (allowed by its nonce) and
    /// styles its components at run time (inline styles); everything it loads comes from this origin, its script from the
    /// Scalar.AspNetCore assembly. The fonts and telemetry it would fetch from its vendor are turned off, and this policy
    /// would refuse them anyway.
    /// </summary>
    public static string ReferencePolicy(string? nonce) =>
        $"default-src 'self'; script-src 'self'{(nonce is null ? "" : $" 'nonce-{nonce}'")}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; worker-src 'self' blob:; font-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IHostApplicationBuilder AddApiDocument(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(DocumentName, o =>
        {
            // Atom feeds are machine interfaces too (feed readers), wherever their address is.
            o.ShouldInclude = d => d.RelativePath is { } path && (path.StartsWith("api/", StringComparison.Ordinal) || path.StartsWith("hls/", StringComparison.Ordinal)
                || path.EndsWith(".atom", StringComparison.Ordinal));
            o.AddDocumentTransformer((document, context, _) =>
            {
                // The generator names the request's Host as the server; the document is cached, so it must not come from a header.
                var origin = context.ApplicationServices.GetRequiredService<IOptions<PublicWebOptions>>().Value.PublicOrigin;
                document.Servers = [new OpenApiServer { Url = string.IsNullOrEmpty(origin) ? "/" : origin.TrimEnd('/') }];
                document.Info = new OpenApiInfo
                {
                    Title = "Election transparency portal",
                    Version = DocumentName,
                    Description = "The portal's machine interfaces: the signed station device API, the public read API (open data), " +
                        "search, the statistics for observers and the HLS video addresses. Every error has one shape: " +
                        "{\"errors\":[{\"field\",\"code\",\"message\"}]}, and changes nothing. Result figures are withheld before polls close.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[StationSignature.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = "Authorization",
                    Description = StationSignature.Description,
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var endpoint = context.Description.ActionDescriptor.EndpointMetadata;
                // The "when" of api.md's status tables (ApiExplorer leaves the metadata's description out).
                foreach (var declared in endpoint.OfType<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>())
                    if (declared.Description is { Length: > 0 } text && operation.Responses?.TryGetValue(declared.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
                        && response is OpenApiResponse concrete)
                        concrete.Description = text;
                if (endpoint.OfType<StationSignature>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(StationSignature.SchemeName, context.Document)] = [] });
                }
                // The search reads its query string by hand (every bad parameter in the error shape): say what it reads.
                if (operation.OperationId == "Search")
                {
                    operation.Parameters ??= [];
                    foreach (var (name, description) in SearchApi.QueryParameters)
                        operation.Parameters.Add(new OpenApiParameter
                        {
                            Name = name, In = ParameterLocation.Query, Description = description,
                            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                        });
                }
                if (endpoint.OfType<DocumentedBody>().FirstOrDefault() is { } body)
                    operation.RequestBody = new OpenApiRequestBody
                    {
                        Required = true,
                        Content = new Dictionary<string, OpenApiMediaType>
                        {
                            ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken) },
                        },
                    };
                if (context.Description.RelativePath?.StartsWith("hls/", StringComparison.Ordinal) == true) DescribeHls(operation, context.Description.RelativePath);
            });
            // The APIs write enums as camelCase strings (LiveJson); the generator would otherwise describe them as integers.
            o.AddSchemaTransformer((schema, context, _) =>
            {
                var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
                if (type.IsEnum)
                {
                    schema.Type = JsonSchemaType.String | (type != context.JsonTypeInfo.Type ? JsonSchemaType.Null : 0);
                    schema.Format = null;
                    schema.Pattern = null;
                    schema.Enum = [.. Enum.GetNames(type).Select(n => (JsonNode)JsonValue.Create(WireName(type, n)))];
                }
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>The document and its reference page, on the public listener.</summary>
    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").CacheOutput(PublicReadApi.CachePolicy);
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments(ReferencePath))
            {
                // The page's endpoint makes a fresh nonce per request (WithNonce) and leaves it in Items for the header.
                context.Response.OnStarting(() =>
                {
                    context.Response.Headers.ContentSecurityPolicy = ReferencePolicy(context.Items[ScalarOptions.NonceHttpContextItemKey] as string);
                    return Task.CompletedTask;
                });
            }
            return next(context);
        });
        app.MapScalarApiReference(ReferencePath, o => o
            .WithTitle("Election transparency portal: API reference")
            .WithOpenApiRoutePattern(DocumentPath)
            .DisableDefaultFonts()
            .DisableTelemetry()
            .DisableAgent()
            .DisableMcp()
            .HideClientButton()
            .HideDeveloperTools()
            .WithNonce());
        return app;
    }

    private static void DescribeHls(OpenApiOperation operation, string path)
    {
        var contentType = path.EndsWith(".m3u8", StringComparison.Ordinal) ? "application/vnd.apple.mpegurl"
            : path.EndsWith(".jpg", StringComparison.Ordinal) ? "image/jpeg"
            : path.EndsWith("{segment}", StringComparison.Ordinal) ? "video/mp2t" : null;
        if (contentType is null) return;
        operation.Responses ??= new OpenApiResponses();
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = "the playlist, segment or thumbnail",
            Content = new Dictionary<string, OpenApiMediaType> { [contentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } } },
        };
        operation.Responses["404"] = new OpenApiResponse { Description = "an unknown camera, or nothing written for it yet" };
    }

    private static string WireName(Type type, string name) =>
        type.GetField(name)?.GetCustomAttributes(typeof(JsonStringEnumMemberNameAttribute), false) is [JsonStringEnumMemberNameAttribute wire] ? wire.Name : JsonNamingPolicy.CamelCase.ConvertName(name);
}
