using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Grains.Results;
using Portal.Ingest.Stations;

namespace Portal.Ingest.Apis;

public static class StationApi
{
    public const string Tag = "Station devices";

    /// <summary>api.md section 2 "Station device API": signed turnout and protocols. What the portal publishes is in Portal's Apis.</summary>
    public static IEndpointRouteBuilder MapStationApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapPost("/stations/{stationId}/turnout", (HttpContext context, string stationId, StationIntake intake) =>
                intake.HandleAsync(context, stationId, protocol: false))
            .WithName("SubmitTurnout")
            .WithSummary("A cumulative turnout report, signed by the station's device")
            .DescribesBody<TurnoutSubmission>()
            .WithStationResponses();
        api.MapPost("/stations/{stationId}/protocols", (HttpContext context, string stationId, StationIntake intake) =>
                intake.HandleAsync(context, stationId, protocol: true))
            .WithName("SubmitProtocol")
            .WithSummary("A station protocol for one contest, signed by the station's device (after polls close)")
            .DescribesBody<ProtocolSubmission>()
            .WithStationResponses();
        return app;
    }

    /// <summary>The responses of both signed endpoints, as api.md section 2 "Station device API" lists them, and the signature they require.</summary>
    private static RouteHandlerBuilder WithStationResponses(this RouteHandlerBuilder endpoint) => endpoint
        .WithTags(Tag)
        .WithMetadata(StationSignature.Required)
        .Responds<SubmissionReceipt>(StatusCodes.Status201Created, "stored in the ledger (durable: a crash a moment later loses nothing)")
        .Responds<SubmissionReceipt>(StatusCodes.Status200OK, "the same submissionId with the same content again: the body of its 201")
        .Responds<StationErrorBody>(StatusCodes.Status400BadRequest, "not JSON, wrong types")
        .Responds<StationErrorBody>(StatusCodes.Status401Unauthorized, "missing or bad signature, stale timestamp, unknown key")
        .Responds<StationErrorBody>(StatusCodes.Status403Forbidden, "the key belongs to another station")
        .Responds<StationErrorBody>(StatusCodes.Status404NotFound, "unknown station or contest")
        .Responds<StationErrorBody>(StatusCodes.Status408RequestTimeout, "the body did not arrive in time")
        .Responds<StationErrorBody>(StatusCodes.Status409Conflict,
            "submissionId reused with other content; supersedes missing or stale; protocol before polls close")
        .Responds<StationErrorBody>(StatusCodes.Status413PayloadTooLarge, $"body over {IntakeOptions.MaxBodyBytes / 1024} KiB")
        .Responds<StationErrorBody>(StatusCodes.Status422UnprocessableEntity, "control relations or plausibility fail (field-level errors)")
        .Responds<StationErrorBody>(StatusCodes.Status429TooManyRequests,
            "overloaded, or too many requests in flight for this key; Retry-After set");
}

/// <summary>
/// Endpoint metadata: the request must carry the station signature (api.md section 2 "Station device API"). The OpenAPI document describes it
/// as a security scheme from these texts, so the reference and the verifying code are read from one place.
/// </summary>
public sealed class StationSignature
{
    public static readonly StationSignature Required = new();

    public const string SchemeName = "stationSignature";

    public static readonly string Description =
        $"Every station request is signed with the station device's ECDSA P-256 key. Header: " +
        $"`Authorization: {StationRequestSigning.Scheme} KeyId=<keyId>,Timestamp=<unix seconds>,Signature=<base64>`. " +
        "StringToSign = METHOD + \"\\n\" + PATH + \"\\n\" + Timestamp + \"\\n\" + lowercase-hex(SHA-256(body)); PATH excludes the query. " +
        "Signature = ECDSA P-256 over SHA-256(StringToSign), IEEE P1363 (r || s, 64 bytes), base64. " +
        $"A timestamp more than {(int)StationRequestSigning.Window.TotalSeconds} s away from the server clock is refused; " +
        "a key signs only for its own station. The public keys are at GET /api/v1/keys.";

    private StationSignature() { }
}
