using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Grains.Abstractions;
using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.Grains.Results;

namespace Portal.Ingest.Stations;

/// <summary>
/// The station API's request pipeline. From the headers alone, before the body is read or a slot taken: signature
/// header and key (401), station (404), key binding (403), size (413); an unsigned client is turned away at once and
/// cannot hold what signed stations need. Then the body within a minimum data rate and a deadline (408), the signature
/// over it (401), the station key's slots (429) and the intake queue (429), the body (400), contest (404), control
/// relations and plausibility (422); then the station grain (409 / 201 / 200).
/// </summary>
public sealed partial class StationIntake(
    IGrainFactory grains, ElectionCatalog catalog, ElectionClock clock, StationKeyRegistry keys, TimeProvider realTime,
    IOptions<IntakeOptions> options, ILogger<StationIntake> logger)
{
    private static readonly TimeSpan WarningInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, StrongBox> _perKey = new(StringComparer.Ordinal);
    private readonly ThrottledWarning _badSignatureWarning = new();
    private readonly ThrottledWarning _foreignKeyWarning = new();
    private int _inFlight;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Takes one of the intake queue's slots, or null when the queue is full. The request pipeline holds one per signed
    /// submission from its verified signature to its answer.
    /// </summary>
    public IDisposable? TryTakeSlot()
    {
        if (Interlocked.Increment(ref _inFlight) <= options.Value.MaxInFlight) return new Release(() => Interlocked.Decrement(ref _inFlight));
        Interlocked.Decrement(ref _inFlight);
        return null;
    }

    public async Task<IResult> HandleAsync(HttpContext context, string stationId, bool protocol)
    {
        Interlocked.Increment(ref IntakeMetrics.Requests);
        var request = context.Request;
        var now = realTime.GetUtcNow();
        var (keyError, auth, key, station) = CheckHeaders(request.Headers.Authorization, stationId, now);
        if (keyError is not null)
        {
            Interlocked.Increment(ref IntakeMetrics.RejectedBeforeBody);
            return Refuse(context, keyError);
        }
        var (keyId, timestamp, signature, signatureText) = auth;
        if (request.ContentLength > IntakeOptions.MaxBodyBytes) return Refuse(context, TooLarge());

        var (body, bodyError) = await ReadBodyAsync(context);
        if (bodyError is not null) return Refuse(context, bodyError);

        var bodyHash = StationRequestSigning.BodyHash(body);
        var verifyStarted = Stopwatch.GetTimestamp();
        var verified = keys.Verify(key!, request.Method, request.Path.Value ?? "", timestamp, bodyHash, signature);
        IntakeMetrics.Add(ref IntakeMetrics.VerifyTicks, verifyStarted);
        if (!verified)
        {
            Interlocked.Increment(ref IntakeMetrics.BadSignatures);
            if (_badSignatureWarning.ShouldLog(now, out var suppressed)) LogBadSignature(keyId, stationId, suppressed);
            return Errors(StatusCodes.Status401Unauthorized, "Authorization.Signature", "invalid", "the signature does not verify");
        }

        // Slots are taken only by signed requests: a client without the private key cannot use up a station's or the queue's.
        var perKey = _perKey.GetOrAdd(keyId, _ => new StrongBox());
        if (Interlocked.Increment(ref perKey.Value) > options.Value.MaxInFlightPerKey)
        {
            Interlocked.Decrement(ref perKey.Value);
            Interlocked.Increment(ref IntakeMetrics.ThrottledPerKey);
            return Throttled(context, "busy", $"station key {keyId} already has {options.Value.MaxInFlightPerKey} submissions in flight; retry after the Retry-After seconds");
        }
        try
        {
            using var slot = TryTakeSlot();
            if (slot is null)
            {
                Interlocked.Increment(ref IntakeMetrics.ThrottledQueue);
                return Throttled(context, "overloaded", "the intake queue is full; retry after the Retry-After seconds");
            }
            var evidence = new SignedRequest(keyId, timestamp, request.Method, request.Path.Value ?? "", bodyHash, signatureText, Convert.ToBase64String(body));
            return await SubmitAsync(station!, body, evidence, now, protocol);
        }
        finally
        {
            Interlocked.Decrement(ref perKey.Value);
        }
    }

    private async Task<IResult> SubmitAsync(StationDefinition station, byte[] body, SignedRequest evidence, DateTimeOffset now, bool protocol)
    {
        var errors = new List<FieldError>();
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
            errors = PlausibilityRules.CheckProtocol(submission, station);
            if (errors.Count > 0) return Implausible(errors);
            var grainStarted = Stopwatch.GetTimestamp();
            result = await grain.SubmitProtocolAsync(submission, evidence, now);
            IntakeMetrics.Add(ref IntakeMetrics.GrainTicks, grainStarted);
        }
        else
        {
            var submission = SubmissionParser.ParseTurnout(body, errors);
            if (submission is null) return Errors(StatusCodes.Status400BadRequest, errors);
            // Election time, not the request's real clock: in the accelerated demo day a report is dated on the election clock.
            errors = PlausibilityRules.CheckTurnout(submission, station, catalog.Election.PollsOpen, clock.Now, StationRequestSigning.Window);
            if (errors.Count > 0) return Implausible(errors);
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

    /// <summary>What the Authorization header and the path tell without the body: a known key, fresh, valid, of this station.</summary>
    private (IResult? Error, (string KeyId, long Timestamp, byte[] Signature, string SignatureText) Auth, StationPublicKey? Key, StationDefinition? Station)
        CheckHeaders(string? authorization, string stationId, DateTimeOffset now)
    {
        var parsed = StationRequestSigning.Parse(authorization);
        if (parsed is not { } auth)
            return (Errors(StatusCodes.Status401Unauthorized, "Authorization", "missing",
                "Authorization must be \"ECDSA-P256 KeyId=<keyId>,Timestamp=<unix seconds>,Signature=<base64>\""), default, null, null);
        var (keyId, timestamp, _, _) = auth;
        var key = keys.Find(keyId);
        if (key is null) return (Errors(StatusCodes.Status401Unauthorized, "Authorization.KeyId", "unknown", "unknown key id"), auth, null, null);
        if (Math.Abs(now.ToUnixTimeSeconds() - timestamp) > StationRequestSigning.Window.TotalSeconds)
            return (Errors(StatusCodes.Status401Unauthorized, "Authorization.Timestamp", "stale",
                $"the timestamp is more than {StationRequestSigning.Window.TotalSeconds} s from the server clock"), auth, null, null);
        if ((key.ValidFrom is { } from && now < from) || (key.ValidUntil is { } until && now > until))
            return (Errors(StatusCodes.Status401Unauthorized, "Authorization.KeyId", "expired", "the key is not valid at this time"), auth, null, null);
        var station = catalog.FindStation(stationId);
        if (station is null) return (Errors(StatusCodes.Status404NotFound, "stationId", "unknown", "unknown station"), auth, null, null);
        if (key.StationId != station.Id)
        {
            if (_foreignKeyWarning.ShouldLog(now, out var suppressed)) LogForeignKey(keyId, stationId, suppressed);
            return (Errors(StatusCodes.Status403Forbidden, "Authorization.KeyId", "foreign", "the key belongs to another station"), auth, null, null);
        }
        return (null, auth, key, station);
    }

    /// <summary>
    /// Reads the body under Kestrel's per-request minimum data rate and an overall deadline. Too slow: 408; broken off or
    /// longer than declared: 400; over the limit: 413. The buffer grows with what arrives, so a declared 64 KiB that never
    /// comes costs no 64 KiB.
    /// </summary>
    private async Task<(byte[] Body, IResult? Error)> ReadBodyAsync(HttpContext context)
    {
        var o = options.Value;
        if (context.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rate)
        {
            try
            {
                rate.MinDataRate = new MinDataRate(o.MinBodyBytesPerSecond, TimeSpan.FromSeconds(o.MinBodyRateGraceSeconds));
            }
            catch (NotSupportedException)
            {
                // HTTP/2 has no per-request rate; the deadline below still holds.
            }
        }
        var declared = context.Request.ContentLength;
        var buffer = new byte[Math.Min(declared ?? 4096, 16 * 1024) + (declared is null ? 1 : 0)];
        var read = 0;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        deadline.CancelAfter(TimeSpan.FromSeconds(o.BodyTimeoutSeconds));
        try
        {
            while (true)
            {
                if (read == buffer.Length)
                {
                    var limit = (declared ?? IntakeOptions.MaxBodyBytes) + (declared is null ? 1 : 0);
                    if (read >= limit) break;
                    Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, limit));
                }
                var n = await context.Request.Body.ReadAsync(buffer.AsMemory(read), deadline.Token);
                if (n == 0) break;
                read += n;
            }
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref IntakeMetrics.SlowBodies);
            return ([], SlowBody($"the body did not arrive within {o.BodyTimeoutSeconds} s"));
        }
        catch (OperationCanceledException)
        {
            // The client went away: nobody reads the answer.
            Interlocked.Increment(ref IntakeMetrics.SlowBodies);
            return ([], Errors(StatusCodes.Status400BadRequest, "$", "aborted", "the request was aborted"));
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            Interlocked.Increment(ref IntakeMetrics.SlowBodies);
            return ([], e.StatusCode == StatusCodes.Status408RequestTimeout
                ? SlowBody($"the body arrived slower than {o.MinBodyBytesPerSecond} bytes/s")
                : e.StatusCode == StatusCodes.Status413PayloadTooLarge ? TooLarge()
                : Errors(StatusCodes.Status400BadRequest, "$", "body", "the body could not be read: it ended early or was malformed"));
        }
        catch (IOException)
        {
            Interlocked.Increment(ref IntakeMetrics.SlowBodies);
            return ([], Errors(StatusCodes.Status400BadRequest, "$", "body", "the body could not be read: the connection broke"));
        }
        if (read > IntakeOptions.MaxBodyBytes) return ([], TooLarge());
        return (read == buffer.Length ? buffer : buffer[..read], null);
    }

    /// <summary>An answer without (all of) the body read: the connection closes, so the rest of the body is never waited for.</summary>
    private static IResult Refuse(HttpContext context, IResult error)
    {
        context.Response.Headers.Connection = "close";
        return error;
    }

    private IResult Throttled(HttpContext context, string code, string message)
    {
        context.Response.Headers.RetryAfter = options.Value.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return Errors(StatusCodes.Status429TooManyRequests, "", code, message);
    }

    private static IResult Implausible(List<FieldError> errors)
    {
        Interlocked.Increment(ref IntakeMetrics.Implausible);
        return Errors(StatusCodes.Status422UnprocessableEntity, errors);
    }

    private static IResult SlowBody(string message) => Errors(StatusCodes.Status408RequestTimeout, "$", "timeout", message);

    private static IResult TooLarge() =>
        Errors(StatusCodes.Status413PayloadTooLarge, "$", "size", $"the body is larger than {IntakeOptions.MaxBodyBytes} bytes");

    public static IResult Errors(int status, string field, string code, string message) => Errors(status, [new FieldError(field, code, message)]);

    public static IResult Errors(int status, IReadOnlyList<FieldError> errors) =>
        Results.Json(new StationErrorBody(errors), IngestJson.Options, statusCode: status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bad signature with key {KeyId} for station {StationId} ({Suppressed} more not logged in the last interval)")]
    private partial void LogBadSignature(string keyId, string stationId, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Key {KeyId} used for foreign station {StationId} ({Suppressed} more not logged in the last interval)")]
    private partial void LogForeignKey(string keyId, string stationId, long suppressed);

    private sealed class StrongBox
    {
        public int Value;
    }

    private sealed class Release(Action release) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) release();
        }
    }

    /// <summary>At most one warning per interval; the ones in between are counted and named in the next.</summary>
    private sealed class ThrottledWarning
    {
        private long _nextTicks;
        private long _suppressed;

        public bool ShouldLog(DateTimeOffset now, out long suppressed)
        {
            var next = Interlocked.Read(ref _nextTicks);
            if (now.UtcTicks >= next && Interlocked.CompareExchange(ref _nextTicks, now.UtcTicks + WarningInterval.Ticks, next) == next)
            {
                suppressed = Interlocked.Exchange(ref _suppressed, 0);
                return true;
            }
            Interlocked.Increment(ref _suppressed);
            suppressed = 0;
            return false;
        }
    }
}

/// <summary>The station API's error body (api.md, "Every error ... has one shape"): <c>{"errors":[{"field","code","message"}]}</c>.</summary>
public sealed record StationErrorBody(IReadOnlyList<FieldError> Errors);
