using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.RateLimiting;
using Portal.Counting;
using Portal.Grains.Abstractions;
using Portal.Grains.Counting;
using Portal.Grains.Live;
using Portal.Grains.Model;
using Portal.Grains.Results;
using Portal.Ingest.Apis;
using Portal.Ingest.Stations;
using Portal.Ops;

namespace Portal.Apis;

/// <summary>
/// Volunteer counting (docs/counting.md): tasks and counts for the /count page (the volunteer token in a cookie, never
/// cached), the published figures as JSON and CSV (anonymous, cacheable), and known answers for ops counters.
/// </summary>
public static partial class CountingApi
{
    public const string CachePolicy = "public-short";

    public static IEndpointRouteBuilder MapCountingApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<CountingPlan>().Options;
        var limits = new CountingLimits(options);
        var count = app.MapGroup("/api/v1/count");
        count.MapGet("/task", NextTaskAsync)
            .WithName("GetCountTask").WithSummary("A clip this volunteer has not counted (sets the anonymous volunteer cookie); 204 when none is archived yet")
            .Produces<CountTaskDto>().Produces(StatusCodes.Status204NoContent);
        count.MapPost("/clips/{clipId}/counts", (HttpContext http, string clipId, CountingPlan plan, IGrainFactory grains, ElectionCatalog catalog, ILoggerFactory loggers)
            => SubmitAsync(http, clipId, plan, grains, catalog, limits, loggers.CreateLogger(typeof(CountingApi))))
            .WithName("SubmitCount").WithSummary("A volunteer's count of a clip with the time of each press (seconds into the clip)")
            .DescribesBody<CountSubmission>()
            .Produces<ClipCountDto>(StatusCodes.Status201Created)
            .Responds<StationErrorBody>(StatusCodes.Status400BadRequest, "no volunteer cookie, or a count or press times that fail validation; each error names its field")
            .Responds<StationErrorBody>(StatusCodes.Status404NotFound, "no such clip")
            .Responds<StationErrorBody>(StatusCodes.Status409Conflict, "this volunteer has counted the clip, or it is not archived yet")
            .Responds<StationErrorBody>(StatusCodes.Status429TooManyRequests, "too many counts from this volunteer or address in a minute");
        count.MapPut("/clips/{clipId}/known-answer", SetKnownAnswerAsync).RequireAuthorization(OpsPolicies.Count)
            .WithName("SetKnownAnswer").WithSummary("Ops (counter or publisher role): set or clear a clip's known answer")
            .DescribesBody<KnownAnswerBody>()
            .Produces(StatusCodes.Status204NoContent)
            .Responds<StationErrorBody>(StatusCodes.Status400BadRequest, "the body is not {\"count\": integer >= 0 or null}")
            .Responds<StationErrorBody>(StatusCodes.Status404NotFound, "no such clip");

        var open = app.MapGroup("/api/v1/elections/{electionId}");
        open.MapGet("/counting", GetSummaryAsync).CacheOutput(CachePolicy)
            .WithName("GetCountingSummary").WithSummary("National and per-region coverage of the counting, and how many volunteers counted")
            .Produces<CountingSummaryDto>().Responds<StationErrorBody>(StatusCodes.Status404NotFound, "an unknown electionId");
        open.MapGet("/counting/stations/{stationId}", GetStationAsync).CacheOutput(CachePolicy)
            .WithName("GetStationCounting").WithSummary("A station's reporting windows: counted ballots and coverage next to the official increase")
            .Produces<StationCountingDto>().Responds<StationErrorBody>(StatusCodes.Status404NotFound, "an unknown electionId or stationId, or a station without a ballot-box camera");
        open.MapGet("/counting.csv", GetWindowsCsvAsync).CacheOutput(CachePolicy)
            .WithName("GetCountingCsv").WithSummary("One row per station and reporting window: counted, coverage, official increase, the flag")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").Responds<StationErrorBody>(StatusCodes.Status404NotFound, "an unknown electionId");
        open.MapGet("/counting/clips.csv", GetClipsCsvAsync).CacheOutput(CachePolicy)
            .WithName("GetCountingClipsCsv").WithSummary("One row per clip: status, counts, published count and spread, whether it is a known-answer clip")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").Responds<StationErrorBody>(StatusCodes.Status404NotFound, "an unknown electionId");
        return app;
    }

    private static async Task<IResult> NextTaskAsync(HttpContext http, CountingPlan plan, IGrainFactory grains, ElectionCatalog catalog)
    {
        NoStore(http);
        var token = VolunteerTokens.Read(http.Request);
        if (token is null) VolunteerTokens.Issue(http, token = VolunteerTokens.New());
        var task = await grains.GetGrain<ICountingGrain>(catalog.Election.Id).NextTaskAsync(VolunteerTokens.VolunteerId(token));
        if (task is null) return Results.NoContent();
        var clip = task.Clip;
        var (from, to) = (plan.Clock.RealTimeOf(clip.Start), plan.Clock.RealTimeOf(clip.End));
        return Results.Json(new CountTaskDto(
            clip.Id, clip.CameraId, clip.StationId, task.StationNumber, clip.Start, clip.End, Window(plan, clip),
            from, to, Math.Round((to - from).TotalSeconds, 3),
            $"/hls/{clip.CameraId}/archive.m3u8?from={Uri.EscapeDataString(Iso(from))}&to={Uri.EscapeDataString(Iso(to))}"), LiveJson.Options);
    }

    private static async Task<IResult> SubmitAsync(HttpContext http, string clipId, CountingPlan plan, IGrainFactory grains, ElectionCatalog catalog,
        CountingLimits limits, ILogger logger)
    {
        NoStore(http);
        var address = http.Connection.RemoteIpAddress ?? IPAddress.None;
        var token = VolunteerTokens.Read(http.Request);
        if (!limits.TryTake(token, address)) return StationIntake.Errors(StatusCodes.Status429TooManyRequests, "$", "rate-limited", "too many counts; try again in a minute");
        if (token is null) return StationIntake.Errors(StatusCodes.Status400BadRequest, "token", "missing", "ask for a task first: it gives the volunteer cookie");
        var clip = plan.Plan.Find(clipId);
        if (clip is null) return StationIntake.Errors(StatusCodes.Status404NotFound, "clipId", "unknown", "no such clip");
        CountSubmission? body;
        try
        {
            body = await http.Request.ReadFromJsonAsync<CountSubmission>(LiveJson.Options, http.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return StationIntake.Errors(StatusCodes.Status400BadRequest, "$", "json", "the body is not a JSON count (count: integer, presses: numbers)");
        }
        if (body is null) return StationIntake.Errors(StatusCodes.Status400BadRequest, "$", "json", "the body is empty");
        var seconds = (plan.Clock.RealTimeOf(clip.End) - plan.Clock.RealTimeOf(clip.Start)).TotalSeconds;
        var errors = CountSubmissionRules.Validate(body, seconds, plan.Options);
        if (errors.Count > 0) return StationIntake.Errors(StatusCodes.Status400BadRequest, errors);

        var result = await grains.GetGrain<ICountingGrain>(catalog.Election.Id)
            .SubmitAsync(VolunteerTokens.VolunteerId(token), clipId, body.Count!.Value, body.Presses!.Count);
        CountingMetrics.Submissions.Add(1, new KeyValuePair<string, object?>("outcome", result.Outcome.ToString()));
        return result.Outcome switch
        {
            CountSubmitOutcome.Accepted => Results.Json(ClipJson(result.Clip!), LiveJson.Options, statusCode: StatusCodes.Status201Created),
            CountSubmitOutcome.AlreadyCounted => StationIntake.Errors(StatusCodes.Status409Conflict, "clipId", "already-counted", "this volunteer has counted this clip"),
            CountSubmitOutcome.NotArchivedYet => StationIntake.Errors(StatusCodes.Status409Conflict, "clipId", "not-archived", "the clip is not in the archive yet"),
            _ => StationIntake.Errors(StatusCodes.Status404NotFound, "clipId", "unknown", "no such clip"),
        };
    }

    private static async Task<IResult> SetKnownAnswerAsync(HttpContext http, string clipId, IGrainFactory grains, ElectionCatalog catalog)
    {
        // The body is read here, not bound: a bound body would let routing answer 415 before authorization answers 401/403.
        KnownAnswerBody? body;
        try { body = await http.Request.ReadFromJsonAsync<KnownAnswerBody>(LiveJson.Options, http.RequestAborted); }
        catch (Exception e) when (e is JsonException or InvalidOperationException or BadHttpRequestException) { body = null; }
        if (body is null) return StationIntake.Errors(StatusCodes.Status400BadRequest, "$", "json", "the body is not {\"count\": integer or null}");
        if (body.Count is < 0) return StationIntake.Errors(StatusCodes.Status400BadRequest, "count", "negative", "a count is 0 or more");
        return await grains.GetGrain<ICountingGrain>(catalog.Election.Id).SetKnownAnswerAsync(clipId, body.Count)
            ? Results.NoContent()
            : StationIntake.Errors(StatusCodes.Status404NotFound, "clipId", "unknown", "no such clip");
    }

    public sealed record KnownAnswerBody(int? Count);

    private static async Task<IResult> GetSummaryAsync(string electionId, ElectionCatalog catalog, IGrainFactory grains)
    {
        if (electionId != catalog.Election.Id) return NotFound("electionId", "unknown election");
        var summary = await grains.GetGrain<ICountingGrain>(electionId).GetSummaryAsync();
        static CountingCoverageDto Coverage(CountingCoverage c) => new(c.RegionId, c.Cameras, c.Clips, c.ClipsPublished, c.Counts, Math.Round(c.Coverage, 4));
        return Results.Json(new CountingSummaryDto(electionId, Coverage(summary.National), [.. summary.Regions.Select(Coverage)],
            summary.Volunteers, summary.VolunteersExcluded), LiveJson.Options);
    }

    private static async Task<IResult> GetStationAsync(string electionId, string stationId, ElectionCatalog catalog, IGrainFactory grains)
    {
        if (electionId != catalog.Election.Id) return NotFound("electionId", "unknown election");
        if (catalog.FindStation(stationId) is null) return NotFound("stationId", "unknown station");
        var rows = await StationRowsAsync(grains, electionId, stationId);
        if (rows is null) return NotFound("stationId", "the station has no ballot-box camera");
        return Results.Json(new StationCountingDto(electionId, stationId, rows.Value.CameraId, rows.Value.Rows), LiveJson.Options);
    }

    /// <summary>The station's windows next to its official turnout; null without a ballot-box camera.</summary>
    public static async Task<(string CameraId, IReadOnlyList<CountingWindowRow> Rows)?> StationRowsAsync(IGrainFactory grains, string electionId, string stationId)
    {
        var counting = await grains.GetGrain<ICountingGrain>(electionId).GetStationAsync(stationId);
        if (counting is null) return null;
        var details = await grains.GetGrain<IPollingStationGrain>(GrainKeys.Station(electionId, stationId)).GetDetailsAsync();
        return (counting.CameraId, CountingRows.For(counting, details.Turnout));
    }

    private static async Task<IResult> GetWindowsCsvAsync(string electionId, ElectionCatalog catalog, IGrainFactory grains)
    {
        if (electionId != catalog.Election.Id) return NotFound("electionId", "unknown election");
        var csv = new StringBuilder("electionId,regionId,stationId,stationNumber,cameraId,windowStart,windowEnd,counted,coverage,clipsPublished,clips,officialIncrease,videoCountBelowOfficial\n");
        foreach (var station in catalog.Stations.OrderBy(s => s.Number))
        {
            if (!station.Cameras.Any(c => c.Enabled && c.SeesBallotBox)) continue;
            var rows = await StationRowsAsync(grains, electionId, station.Id);
            if (rows is null) continue;
            foreach (var r in rows.Value.Rows)
                csv.Append(CultureInfo.InvariantCulture, $"{electionId},{station.RegionId},{station.Id},{station.Number},{rows.Value.CameraId},{Iso(r.Start)},{Iso(r.End)},{r.Counted},{r.Coverage:0.####},{r.ClipsPublished},{r.Clips},{r.OfficialIncrease},{(r.BelowOfficial ? 1 : 0)}\n");
        }
        return Results.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    private static async Task<IResult> GetClipsCsvAsync(string electionId, ElectionCatalog catalog, IGrainFactory grains)
    {
        if (electionId != catalog.Election.Id) return NotFound("electionId", "unknown election");
        var csv = new StringBuilder("clipId,stationId,cameraId,start,end,status,counts,published,spread,knownAnswer\n");
        foreach (var r in await grains.GetGrain<ICountingGrain>(electionId).GetClipsAsync())
            csv.Append(CultureInfo.InvariantCulture, $"{r.Clip.Id},{r.Clip.StationId},{r.Clip.CameraId},{Iso(r.Clip.Start)},{Iso(r.Clip.End)},{Status(r.Status)},{r.Counts},{r.Published},{r.Spread},{(r.KnownAnswer ? 1 : 0)}\n");
        return Results.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    private static ClipCountDto ClipJson(ClipResult r) => new(r.Clip.Id, r.Clip.StationId, Status(r.Status), r.Counts, r.Published, r.Spread);

    private static string Status(ClipStatus status) => status switch { ClipStatus.Open => "open", ClipStatus.NeedsMore => "needs-more", _ => "settled" };

    private static CountWindowDto Window(CountingPlan plan, CountClip clip)
    {
        var w = plan.Plan.Windows[clip.Window];
        return new CountWindowDto(w.Start, w.End);
    }

    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "private, no-store";

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private static IResult NotFound(string field, string message) => StationIntake.Errors(StatusCodes.Status404NotFound, field, "unknown", message);
}

/// <summary>Fixed one-minute windows per volunteer token and per client address (idle partitions are dropped by the limiter).</summary>
internal sealed class CountingLimits(CountingOptions options)
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
        {
            PermitLimit = k.StartsWith("t:", StringComparison.Ordinal) ? options.SubmissionsPerTokenPerMinute : options.SubmissionsPerAddressPerMinute,
            Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
        }));

    public bool TryTake(string? token, IPAddress address)
    {
        using var byAddress = _limiter.AttemptAcquire("a:" + address);
        if (!byAddress.IsAcquired) return false;
        if (token is null) return true;
        using var byToken = _limiter.AttemptAcquire("t:" + VolunteerTokens.VolunteerId(token));
        return byToken.IsAcquired;
    }
}

internal static class CountingMetrics
{
    private static readonly System.Diagnostics.Metrics.Meter Meter = new("Portal.Counting");
    public static readonly System.Diagnostics.Metrics.Counter<long> Submissions = Meter.CreateCounter<long>("portal_counting_submissions_total", description: "volunteer count submissions by outcome");
}
