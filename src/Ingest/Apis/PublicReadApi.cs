using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Grains.Abstractions;
using Portal.Grains.Ledger;
using Portal.Grains.Model;

namespace Portal.Ingest.Apis;

/// <summary>
/// Contract section 3 (elections, constituencies, stations, results.csv, the ledger). Anonymous and output-cached for a
/// couple of seconds. Result figures come from the grains, which withhold them before polls close (Art. 103).
/// </summary>
public static class PublicReadApi
{
    public const string CachePolicy = "public-short";
    public const int MaxLedgerPage = 5000;

    public static IEndpointRouteBuilder MapPublicReadApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/elections/{electionId}", GetElectionAsync).CacheOutput(CachePolicy);
        api.MapGet("/elections/{electionId}/contests/{contestId}/constituencies/{id}", GetConstituencyAsync).CacheOutput(CachePolicy);
        api.MapGet("/elections/{electionId}/stations/{stationId}", GetStationAsync).CacheOutput(CachePolicy);
        api.MapGet("/elections/{electionId}/results.csv", GetResultsCsvAsync).CacheOutput(CachePolicy);
        api.MapGet("/ledger", GetLedgerAsync).CacheOutput(CachePolicy);
        api.MapGet("/ledger/head", async (ILedgerStore ledger, CancellationToken ct) =>
        {
            var head = await ledger.GetHeadAsync(ct);
            return Results.Json(new { seq = head.Seq, hash = head.Hash }, IngestJson.Options);
        });
        return app;
    }

    private static async Task<IResult> GetElectionAsync(string electionId, ElectionCatalog catalog, IGrainFactory grains)
    {
        if (electionId != catalog.Election.Id) return NotFound("electionId", "unknown election");
        var grain = grains.GetGrain<IElectionGrain>(electionId);
        var summary = await grain.GetSummaryAsync();
        var results = await grain.GetResultsAsync();
        return Results.Json(new
        {
            id = summary.ElectionId, summary.Name, summary.TimeZone, summary.PollsOpen, summary.PollsClose,
            results.Status, results.ElectionTime, results.ResultsPublic, summary.StationCount, summary.VotersOnList,
            results.Turnout, results.RegionTurnout,
            regions = summary.Regions,
            contests = summary.Contests.Select(c => new
            {
                c.Id, c.Kind, c.Name, c.ConstituencyCount,
                results = results.Contests.FirstOrDefault(r => r.ContestId == c.Id),
            }),
        }, IngestJson.Options);
    }

    private static async Task<IResult> GetConstituencyAsync(string electionId, string contestId, string id, ElectionCatalog catalog, IGrainFactory grains)
    {
        if (electionId != catalog.Election.Id) return NotFound("electionId", "unknown election");
        if (catalog.FindConstituency(contestId, id) is null) return NotFound("id", "unknown contest or constituency");
        var results = await grains.GetGrain<IConstituencyGrain>(GrainKeys.Constituency(electionId, contestId, id)).GetResultsAsync();
        return Results.Json(results, IngestJson.Options);
    }

    private static async Task<IResult> GetStationAsync(string electionId, string stationId, ElectionCatalog catalog, IGrainFactory grains)
    {
        if (electionId != catalog.Election.Id) return NotFound("electionId", "unknown election");
        if (catalog.FindStation(stationId) is null) return NotFound("stationId", "unknown station");
        var details = await grains.GetGrain<IPollingStationGrain>(GrainKeys.Station(electionId, stationId)).GetDetailsAsync();
        return Results.Json(new
        {
            station = details.Info with { Cameras = [] },
            details.ResultsPublic,
            turnout = details.PublishedTurnout,
            turnoutTimeline = details.Turnout,
            protocols = details.Protocols,
            invalidations = details.Invalidations,
            cameras = details.Info.Cameras.Select(c => new { c.Id, c.Enabled, hlsUrl = $"/hls/{Uri.EscapeDataString(c.Id)}/live.m3u8" }),
        }, IngestJson.Options);
    }

    /// <summary>One row per station and contest; every protocol field; all the constituency's candidates as id=votes. Header only while embargoed.</summary>
    private static async Task<IResult> GetResultsCsvAsync(string electionId, ElectionCatalog catalog, ElectionClock clock, IGrainFactory grains)
    {
        if (electionId != catalog.Election.Id) return NotFound("electionId", "unknown election");
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

    private static async Task<IResult> GetLedgerAsync(ILedgerStore ledger, long? after, int? limit, CancellationToken ct)
    {
        var take = Math.Clamp(limit ?? 1000, 1, MaxLedgerPage);
        if (after is < 0) return StationsErrors.BadRequest("after", "must be 0 or more");
        var entries = await ledger.ReadAsync(after ?? 0, take, ct);
        var head = await ledger.GetHeadAsync(ct);
        return Results.Json(new LedgerPageDto([.. entries.Select(LedgerEntryDto.From)], head.Seq, head.Hash), IngestJson.Options);
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

    private static IResult NotFound(string field, string message) => Stations.StationIntake.Errors(StatusCodes.Status404NotFound, field, "unknown", message);
}

internal static class StationsErrors
{
    public static IResult BadRequest(string field, string message) => Stations.StationIntake.Errors(StatusCodes.Status400BadRequest, field, "range", message);
}
