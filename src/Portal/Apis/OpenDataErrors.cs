using Portal.Grains.Live;
using Portal.Grains.Results;

namespace Portal.Apis;

/// <summary>The open-data API's error body: the one shape every API answers with (api.md, "Every error ... has one shape").</summary>
public sealed record OpenDataErrorBody(IReadOnlyList<FieldError> Errors);

/// <summary>The open-data API's refusals; like every refusal of the portal, they change nothing.</summary>
public static class OpenDataErrors
{
    public const string UnknownIdDescription = "an unknown id; the error names the field";

    public static IResult NotFound(string field, string message) => Error(StatusCodes.Status404NotFound, field, "unknown", message);

    public static IResult BadRequest(string field, string message) => Error(StatusCodes.Status400BadRequest, field, "range", message);

    private static IResult Error(int status, string field, string code, string message) =>
        Results.Json(new OpenDataErrorBody([new FieldError(field, code, message)]), LiveJson.Options, statusCode: status);
}
