using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Grains.Abstractions;
using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.Grains.Results;

namespace Portal.Ingest.Stations;

/// <summary>
/// The station API's request pipeline: intake slot (429), size (413), signature (401), station (404), key binding (403),
/// body (400), contest (404), control relations (422); then the station grain (409 / 201 / 200).
/// </summary>
public sealed partial class StationIntake(
    IGrainFactory grains, ElectionCatalog catalog, StationKeyRegistry keys, TimeProvider realTime,
    IOptions<IntakeOptions> options, ILogger<StationIntake> logger)
{
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    public async Task<IResult> HandleAsync(HttpContext context, string stationId, bool protocol)
    {
        var limit = options.Value.MaxInFlight;
        if (Interlocked.Increment(ref _inFlight) > limit)
        {
            Interlocked.Decrement(ref _inFlight);
            context.Response.Headers.RetryAfter = options.Value.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            return Errors(StatusCodes.Status429TooManyRequests, "", "overloaded", "the intake queue is full; retry after the Retry-After seconds");
        }
        try
        {
            return await HandleInSlotAsync(context, stationId, protocol);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<IResult> HandleInSlotAsync(HttpContext context, string stationId, bool protocol)
    {
        var request = context.Request;
        if (request.ContentLength > IntakeOptions.MaxBodyBytes) return TooLarge();
        var body = await ReadBodyAsync(request, context.RequestAborted);
        if (body is null) return TooLarge();

        var auth = StationRequestSigning.Parse(request.Headers.Authorization);
        if (auth is null)
            return Errors(StatusCodes.Status401Unauthorized, "Authorization", "missing",
                "Authorization must be \"ECDSA-P256 KeyId=<keyId>,Timestamp=<unix seconds>,Signature=<base64>\"");
        var (keyId, timestamp, signature, signatureText) = auth.Value;
        var key = keys.Find(keyId);
        if (key is null) return Errors(StatusCodes.Status401Unauthorized, "Authorization.KeyId", "unknown", "unknown key id");
        var now = realTime.GetUtcNow();
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > StationRequestSigning.Window.TotalSeconds)
            return Errors(StatusCodes.Status401Unauthorized, "Authorization.Timestamp", "stale",
                $"the timestamp is more than {StationRequestSigning.Window.TotalSeconds} s from the server clock");
        if ((key.ValidFrom is { } from && now < from) || (key.ValidUntil is { } until && now > until))
            return Errors(StatusCodes.Status401Unauthorized, "Authorization.KeyId", "expired", "the key is not valid at this time");
        var bodyHash = StationRequestSigning.BodyHash(body);
        var verifyStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var verified = keys.Verify(key, request.Method, request.Path.Value ?? "", timestamp, bodyHash, signature);
        IntakeMetrics.Add(ref IntakeMetrics.VerifyTicks, verifyStarted);
        if (!verified)
        {
            LogBadSignature(keyId, stationId);
            return Errors(StatusCodes.Status401Unauthorized, "Authorization.Signature", "invalid", "the signature does not verify");
        }
        var station = catalog.FindStation(stationId);
        if (station is null) return Errors(StatusCodes.Status404NotFound, "stationId", "unknown", "unknown station");
        if (key.StationId != station.Id)
        {
            LogForeignKey(keyId, stationId);
            return Errors(StatusCodes.Status403Forbidden, "Authorization.KeyId", "foreign", "the key belongs to another station");
        }

        var errors = new List<FieldError>();
        var evidence = new SignedRequest(keyId, timestamp, request.Method, request.Path.Value ?? "", bodyHash, signatureText, Convert.ToBase64String(body));
        var grain = GrainReferences.Get<IPollingStationGrain>(grains, GrainKeys.Station(catalog.Election.Id, station.Id));
        SubmissionResult result;
        if (protocol)
        {
            var submission = SubmissionParser.ParseProtocol(body, errors);
            if (submission is null) return Errors(StatusCodes.Status400BadRequest, errors);
            if (!station.Constituencies.TryGetValue(submission.ContestId, out var constituencyId))
                return Errors(StatusCodes.Status404NotFound, "contestId", "unknown", $"station {station.Id} votes in no contest \"{submission.ContestId}\"");
            errors = ProtocolRules.Check(submission, catalog.FindConstituency(submission.ContestId, constituencyId)!);
            if (errors.Count > 0) return Errors(StatusCodes.Status422UnprocessableEntity, errors);
            var grainStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            result = await grain.SubmitProtocolAsync(submission, evidence, now);
            IntakeMetrics.Add(ref IntakeMetrics.GrainTicks, grainStarted);
        }
        else
        {
            var submission = SubmissionParser.ParseTurnout(body, errors);
            if (submission is null) return Errors(StatusCodes.Status400BadRequest, errors);
            if (submission.VotersOnList is { } list && submission.VotersIssuedBallots > list)
                return Errors(StatusCodes.Status422UnprocessableEntity, "votersIssuedBallots", "control.issued",
                    $"votersIssuedBallots = {submission.VotersIssuedBallots} must not exceed votersOnList = {list}");
            result = await grain.SubmitTurnoutAsync(submission, evidence, now);
        }
        return result.Status switch
        {
            SubmissionStatus.Created => Results.Json(result.Receipt, IngestJson.Options, statusCode: StatusCodes.Status201Created),
            SubmissionStatus.Replayed => Results.Json(result.Receipt, IngestJson.Options, statusCode: StatusCodes.Status200OK),
            SubmissionStatus.NotFound => Errors(StatusCodes.Status404NotFound, result.Errors),
            SubmissionStatus.Invalid => Errors(StatusCodes.Status422UnprocessableEntity, result.Errors),
            _ => Errors(StatusCodes.Status409Conflict, result.Errors),
        };
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // With a Content-Length (already checked against the limit) the body is read into an array of exactly that size:
        // the server never delivers more than the declared length. Without one, up to the limit plus one byte.
        var declared = request.ContentLength;
        var buffer = new byte[declared ?? IntakeOptions.MaxBodyBytes + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await request.Body.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0) break;
            read += n;
        }
        if (read > IntakeOptions.MaxBodyBytes) return null;
        return read == declared ? buffer : buffer[..read];
    }

    private static IResult TooLarge() =>
        Errors(StatusCodes.Status413PayloadTooLarge, "$", "size", $"the body is larger than {IntakeOptions.MaxBodyBytes} bytes");

    public static IResult Errors(int status, string field, string code, string message) => Errors(status, [new FieldError(field, code, message)]);

    public static IResult Errors(int status, IReadOnlyList<FieldError> errors) =>
        Results.Json(new { errors }, IngestJson.Options, statusCode: status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bad signature with key {KeyId} for station {StationId}")]
    private partial void LogBadSignature(string keyId, string stationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key {KeyId} used for foreign station {StationId}")]
    private partial void LogForeignKey(string keyId, string stationId);
}
