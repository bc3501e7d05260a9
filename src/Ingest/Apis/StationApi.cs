using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Ingest.Stations;

namespace Portal.Ingest.Apis;

public static class StationApi
{
    /// <summary>Contract section 2: signed turnout and protocols, and the published public keys.</summary>
    public static IEndpointRouteBuilder MapStationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapPost("/stations/{stationId}/turnout", (HttpContext context, string stationId, StationIntake intake) =>
            intake.HandleAsync(context, stationId, protocol: false));
        api.MapPost("/stations/{stationId}/protocols", (HttpContext context, string stationId, StationIntake intake) =>
            intake.HandleAsync(context, stationId, protocol: true));
        api.MapGet("/keys", (StationKeyRegistry keys) => Results.Json(
                keys.All.Select(k => new { k.StationId, k.KeyId, publicKey = k.PublicKeyBase64, k.ValidFrom, k.ValidUntil }), IngestJson.Options))
            .CacheOutput(PublicReadApi.CachePolicy);
        return app;
    }
}
