using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Portal.Grains.Abstractions;
using Portal.Grains.Extensions;
using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.Grains.Live;
using Portal.Ingest.Apis;
using Portal.Ingest.Stations;

namespace Portal.Apis;

/// <summary>
/// api.md section 3 "Public read API and video" (elections, constituencies, stations, results.csv, the ledger, the keys). Anonymous and output-cached for a
/// couple of seconds. Result figures come from the grains, which withhold them before polls close (Art. 103).
/// </summary>
public static class PublicReadApi
{
    public const string CachePolicy = "public-short";

    public const string Tag = "Open data";

    /// <summary>
    /// The most entries a ledger page holds (a larger <c>limit</c> is clamped to it): a page of 1,000 entries is about
    /// 1 MB of JSON; at 5,000 one anonymous request cost 0.12 s of CPU. Readers page on with <c>after</c>.
    /// </summary>
    public const int MaxLedgerPage = 1000;

    public const string LedgerPagePolicy = "ledger-page";

    /// <summary>A full page never changes (the ledger is append-only): cached and cacheable for a day.</summary>
    public static readonly TimeSpan FullLedgerPageLifetime = TimeSpan.FromDays(1);

    /// <summary>The last page still grows: cached briefly.</summary>
    public static readonly TimeSpan PartialLedgerPageLifetime = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapPublicReadApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags(Tag);
        api.MapGet("/elections/{electionId}", GetElectionAsync).CacheOutput(CachePolicy)
            .WithName("GetElection").WithSummary("Status, turnout, national results per contest (results only after polls close)")
            .Produces<ElectionDto>().Responds<OpenDataErrorBody>(StatusCodes.Status404NotFound, OpenDataErrors.UnknownIdDescription);
        api.MapGet("/elections/{electionId}/contests/{contestId}/constituencies/{id}", GetConstituencyAsync).CacheOutput(CachePolicy)
            .WithName("GetConstituency").WithSummary("A constituency's totals, outcome and one row per station")
            .Produces<ConstituencyResults>().Responds<OpenDataErrorBody>(StatusCodes.Status404NotFound, OpenDataErrors.UnknownIdDescription);
        api.MapGet("/elections/{electionId}/stations/{stationId}", GetStationAsync).CacheOutput(CachePolicy)
            .WithName("GetStation").WithSummary("A station's turnout timeline, protocol versions and cameras (public ids and HLS addresses)")
            .Produces<StationDto>().Responds<OpenDataErrorBody>(StatusCodes.Status404NotFound, OpenDataErrors.UnknownIdDescription);
        api.MapGet("/elections/{electionId}/results.csv", GetResultsCsvAsync).CacheOutput(CachePolicy)
            .WithName("GetResultsCsv").WithSummary("One row per station and contest with every protocol field and every candidate's votes")
            .Produces<string>(StatusCodes.Status200OK, "text/csv").Responds<OpenDataErrorBody>(StatusCodes.Status404NotFound, OpenDataErrors.UnknownIdDescription);
        api.MapGet("/ledger", GetLedgerAsync).CacheOutput(LedgerPagePolicy)
            .WithName("GetLedger").WithSummary($"Up to {MaxLedgerPage} ledger entries after the sequence number after (the hash chain)")
            .Produces<LedgerPageDto>()
            .Responds<OpenDataErrorBody>(StatusCodes.Status400BadRequest, "after or limit is not a whole number");
        api.MapGet("/ledger/head", async (ILedgerStore ledger, CancellationToken ct) =>
            {
                var head = await ledger.GetHeadAsync(ct);
                return Results.Json(new LedgerHeadDto(head.Seq, head.Hash), LiveJson.Options);
            })
            .WithName("GetLedgerHead").WithSummary("The newest ledger entry's sequence number and hash")
            .Produces<LedgerHeadDto>();
        api.MapGet("/keys", (StationKeyRegistry keys) => Results.Json(
                keys.All.Select(k => new StationKeyDto(k.StationId, k.KeyId, k.PublicKeyBase64, k.ValidFrom, k.ValidUntil)), LiveJson.Options))
            .CacheOutput(CachePolicy)
            .WithName("GetStationKeys")
            .WithSummary("Every station key, to check the ledger's signatures")
            .Produces<IReadOnlyList<StationKeyDto>>();
        app.MapForensicsApi();
        return app;
    }

    /// <summary>The output-cache policies of the public read API (2 s; ledger pages by their size). The host must call app.UseOutputCache().</summary>
    public static IHostApplicationBuilder AddPublicReadApi(this IHostApplicationBuilder builder)
    {
        if (!builder.Services.Any(d => d.ServiceType == typeof(ILedgerStore))) builder.AddElectionLedger();
        builder.Services.AddOutputCache(o =>
        {
            o.AddPolicy(CachePolicy, b => b.Expire(TimeSpan.FromSeconds(2)).SetVaryByQuery("*"));
            // Per page: by after and the page size limit gives (5000 and 1000 are the same page), other query keys ignored.
            o.AddPolicy(LedgerPagePolicy, b => b.Expire(PartialLedgerPageLifetime).SetVaryByQuery("after")
                .VaryByValue(context => new KeyValuePair<string, string>("take", LedgerPageKey(context.Request.Query["limit"]))));
        });
        return builder;
    }

    private static async Task<IResult> GetElectionAsync(string electionId, ElectionCatalog catalog, IGrainFactory grains)
    {
        if (electionId != catalog.Election.Id) return OpenDataErrors.NotFound("electionId", "unknown election");
        var grain = grains.GetGrain<IElectionGrain>(electionId);
        var summary = await grain.GetSummaryAsync();
        var results = await grain.GetResultsAsync();
        return Results.Json(new ElectionDto(
            summary.ElectionId, summary.Name, summary.TimeZone, summary.PollsOpen, summary.PollsClose,
            results.Status, results.ElectionTime, results.ResultsPublic, summary.StationCount, summary.VotersOnList,
            results.Turnout, results.RegionTurnout, summary.Regions,
            [.. summary.Contests.Select(c => new ElectionContestDto(c.Id, c.Kind, c.Name, c.ConstituencyCount,
                results.Contests.FirstOrDefault(r => r.ContestId == c.Id)))]), LiveJson.Options);
    }

    private static async Task<IResult> GetConstituencyAsync(string electionId, string contestId, string id, ElectionCatalog catalog, IGrainFactory grains)
    {
        if (electionId != catalog.Election.Id) return OpenDataErrors.NotFound("electionId", "unknown election");
        if (catalog.FindConstituency(contestId, id) is null) return OpenDataErrors.NotFound("id", "unknown contest or constituency");
        var results = await grains.GetGrain<IConstituencyGrain>(GrainKeys.Constituency(electionId, contestId, id)).GetResultsAsync();
        return Results.Json(results, LiveJson.Options);
    }

    private static async Task<IResult> GetStationAsync(string electionId, string stationId, ElectionCatalog catalog, IGrainFactory grains)
    {
        if (electionId != catalog.Election.Id) return OpenDataErrors.NotFound("electionId", "unknown election");
        if (catalog.FindStation(stationId) is null) return OpenDataErrors.NotFound("stationId", "unknown station");
        var details = await grains.GetGrain<IPollingStationGrain>(GrainKeys.Station(electionId, stationId)).GetDetailsAsync();
        return Results.Json(new StationDto(
            details.Info with { Cameras = [] }, details.ResultsPublic, details.PublishedTurnout, details.Turnout,
            details.Protocols, details.Invalidations,
            [.. details.Info.Cameras.Select(c => new StationCameraDto(c.Id, c.Enabled, $"/hls/{Uri.EscapeDataString(c.Id)}/live.m3u8"))]),
            LiveJson.Options);
    }

    /// <summary>One row per station and contest; every protocol field; all the constituency's candidates as id=votes. Header only while embargoed.</summary>
    private static async Task<IResult> GetResultsCsvAsync(string electionId, ElectionCatalog catalog, ElectionClock clock, IGrainFactory grains)
    {
        if (electionId != catalog.Election.Id) return OpenDataErrors.NotFound("electionId", "unknown election");
        var csv = new StringBuilder();
        csv.Append("electionId,contestId,constituencyId,regionId,stationId,stationNumber,status,version,ledgerSeq,entryHash,")
           .Append("votersOnList,ballotsReceived,votersIssuedBallots,ballotsInBoxes,invalidBallots,spoiledBallots,unusedBallots,candidateVotes,decisionId\n");
        if (clock.ResultsArePublic)
        {
            foreach (var contest in catalog.Election.Contests)
                foreach (var constituency in contest.Constituencies)
                {
                    var results = await grains.GetGrain<IConstituencyGrain>(GrainKeys.Constituency(electionId, contest.Id, constituency.Id)).GetResultsAsync();
                    if (!results.ResultsPublic) continue;
                    foreach (var row in results.Stations)
                    {
                        var station = catalog.FindStation(row.StationId)!;
                        var t = row.Tally;
                        var votes = t is null ? "" : string.Join('|', constituency.Candidates.Select(c => $"{c.Id}={t.CandidateVotes.GetValueOrDefault(c.Id)}"));
                        Csv(csv, electionId, contest.Id, constituency.Id, station.RegionId, station.Id, N(station.Number), row.Status, N(row.Version), N(row.LedgerSeq),
                            row.EntryHash, N(t?.VotersOnList), N(t?.BallotsReceived), N(t?.VotersIssuedBallots), N(t?.BallotsInBoxes), N(t?.InvalidBallots),
                            N(t?.SpoiledBallots), N(t?.UnusedBallots), votes, row.DecisionId);
                    }
                }
        }
        return Results.Text(csv.ToString(), "text/csv; charset=utf-8", Encoding.UTF8);
    }

    /// <summary>
    /// Up to <see cref="MaxLedgerPage"/> entries after <c>after</c>. A full page is immutable apart from its head fields (the
    /// head when the page was first served, never behind its last entry), so the output cache and any edge keep it for a
    /// day; a partial (the last) page for two seconds.
    /// </summary>
    private static async Task<IResult> GetLedgerAsync(HttpContext context, ILedgerStore ledger, string? after, string? limit, CancellationToken ct)
    {
        if (!TryParse(after, out var afterSeq) || afterSeq < 0) return OpenDataErrors.BadRequest("after", "after must be a whole number, 0 or more");
        if (!TryParse(limit, out _)) return OpenDataErrors.BadRequest("limit", $"limit must be a whole number (at most {MaxLedgerPage} are returned)");
        var take = LedgerPageSize(limit);
        var entries = await ledger.ReadAsync(afterSeq, take, ct);
        var head = await ledger.GetHeadAsync(ct);
        var lifetime = entries.Count == take ? FullLedgerPageLifetime : PartialLedgerPageLifetime;
        if (context.Features.Get<IOutputCacheFeature>() is { } cache) cache.Context.ResponseExpirationTimeSpan = lifetime;
        context.Response.Headers.CacheControl = entries.Count == take
            ? $"public, max-age={(int)lifetime.TotalSeconds}, immutable"
            : $"public, max-age={(int)lifetime.TotalSeconds}";
        return Results.Json(new LedgerPageDto([.. entries.Select(LedgerEntryDto.From)], head.Seq, head.Hash), LiveJson.Options);
    }

    /// <summary>The entries a page holds for a <c>limit</c>: 1 to <see cref="MaxLedgerPage"/>, the cap when absent (the cache key uses it too).</summary>
    public static int LedgerPageSize(string? limit) =>
        TryParse(limit, out var requested) && !string.IsNullOrEmpty(limit) ? (int)Math.Clamp(requested, 1, MaxLedgerPage) : MaxLedgerPage;

    /// <summary>The output-cache key part of <c>limit</c>: the page size, or "invalid" (a 400 is not the page).</summary>
    public static string LedgerPageKey(string? limit) =>
        TryParse(limit, out _) ? LedgerPageSize(limit).ToString(CultureInfo.InvariantCulture) : "invalid";

    private static bool TryParse(string? text, out long value)
    {
        value = 0;
        return string.IsNullOrEmpty(text) || long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    private static string N(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    private static void Csv(StringBuilder sb, params string?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0) sb.Append(',');
            var cell = cells[i] ?? "";
            if (cell.AsSpan().IndexOfAny(",\"\n\r") >= 0) sb.Append('"').Append(cell.Replace("\"", "\"\"")).Append('"');
            else sb.Append(cell);
        }
        sb.Append('\n');
    }

}
