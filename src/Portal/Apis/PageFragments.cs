using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Components.Pages.Stations;
using Portal.Grains.Abstractions;
using Portal.Grains.Model;

namespace Portal.Apis;

/// <summary>
/// Parts of a public page rendered alone, for the live updates that cannot be patched from a hub message: a station's
/// protocol versions (every version's figures and what changed) after a results message. The same component the page
/// renders, so the fragment is exactly what a reload would show; the embargo is the grain's, as on the page.
/// </summary>
public static class PageFragments
{
    public static IEndpointRouteBuilder MapPageFragments(this IEndpointRouteBuilder app)
    {
        app.MapGet("/stations/{stationId}/protocols", StationProtocolsAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> StationProtocolsAsync(string stationId, IGrainFactory grains, ElectionCatalog catalog)
    {
        if (catalog.FindStation(stationId) is null)
            return Results.NotFound(new { errors = new[] { new { field = "stationId", code = "not_found", message = $"no station \"{stationId}\" in this election" } } });
        var details = await grains.GetGrain<IPollingStationGrain>(GrainKeys.Station(catalog.Election.Id, stationId)).GetDetailsAsync();
        return new RazorComponentResult<StationProtocols>(new Dictionary<string, object?> { [nameof(StationProtocols.Details)] = details });
    }
}
