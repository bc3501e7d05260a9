using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Portal.Ingest.Apis;

/// <summary>Declares a response for the OpenAPI document, with the "when" of api.md's status tables as its description.</summary>
public static class ResponseMetadata
{
    public static RouteHandlerBuilder Responds<T>(this RouteHandlerBuilder endpoint, int statusCode, string description,
        string contentType = "application/json") =>
        endpoint.WithMetadata(new ProducesResponseTypeMetadata(statusCode, typeof(T), [contentType]) { Description = description });

    /// <summary>
    /// Describes the JSON request body for the document only. <c>Accepts&lt;T&gt;</c> would also make routing refuse other
    /// content types with 415, before the station pipeline answers 401 to an unsigned request (api.md section 2 "Station device API").
    /// </summary>
    public static RouteHandlerBuilder DescribesBody<T>(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(new DocumentedBody(typeof(T)));
}

/// <summary>Endpoint metadata: the JSON body the handler reads itself (see <see cref="ResponseMetadata.DescribesBody{T}"/>).</summary>
public sealed record DocumentedBody(Type Type);
