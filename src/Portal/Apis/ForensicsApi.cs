using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Routing;
using Portal.Grains.Abstractions;
using Portal.Grains.Forensics;
using Portal.Grains.Model;
using Portal.Grains.Live;
using Portal.Ingest.Apis;

namespace Portal.Apis;

/// <summary>
/// Statistics for observers (api.md section 6 "Statistics for observers") and forensics.csv. The forensics grain withholds every protocol-derived
/// figure before polls close (Art. 103); the short output cache of the public read API applies.
/// </summary>
public static class ForensicsApi
{
    public const string Tag = "Statistics (forensics)";

    public static IEndpointRouteBuilder MapForensicsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/elections/{electionId}").WithTags(Tag);
        api.MapGet("/contests/{contestId}/forensics", GetReportAsync).CacheOutput(PublicReadApi.CachePolicy)
            .WithName("GetForensics")
            .WithSummary("Statistics for observers of one contest, optionally of one region or constituency (nothing derived from a protocol before polls close)")
            .Produces<ForensicsReport>()
            .Responds<OpenDataErrorBody>(StatusCodes.Status404NotFound, "an unknown electionId, contestId, region or constituency; the error names it");
        api.MapGet("/forensics.csv", GetCsvAsync).CacheOutput(PublicReadApi.CachePolicy)
            .WithName("GetForensicsCsv")
            .WithSummary("One row per station and contest: status, turnout, the national leader's share and a 0/1 column per flag code")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .Responds<OpenDataErrorBody>(StatusCodes.Status404NotFound, "an unknown electionId");
        return app;
    }

    private static async Task<IResult> GetReportAsync(string electionId, string contestId, string? region, string? constituency,
        ElectionCatalog catalog, IGrainFactory grains)
    {
        if (electionId != catalog.Election.Id) return OpenDataErrors.NotFound("electionId", "unknown election");
        if (catalog.FindContest(contestId) is null) return OpenDataErrors.NotFound("contestId", "unknown contest");
        if (!string.IsNullOrEmpty(region) && catalog.Election.Regions.All(r => r.Id != region)) return OpenDataErrors.NotFound("region", "unknown region");
        if (!string.IsNullOrEmpty(constituency) && catalog.FindConstituency(contestId, constituency) is null)
            return OpenDataErrors.NotFound("constituency", "unknown constituency of this contest");
        var report = await grains.GetGrain<IForensicsGrain>(electionId).GetReportAsync(contestId, Empty(region), Empty(constituency));
        return Results.Json(report, LiveJson.Options);
    }

    /// <summary>One row per station and contest: its turnout and the contest's national leader's share (after close), and a 0/1 column per flag code.</summary>
    private static async Task<IResult> GetCsvAsync(string electionId, ElectionCatalog catalog, IGrainFactory grains)
    {
        if (electionId != catalog.Election.Id) return OpenDataErrors.NotFound("electionId", "unknown election");
        var grain = grains.GetGrain<IForensicsGrain>(electionId);
        var csv = new StringBuilder();
        csv.Append("electionId,contestId,constituencyId,regionId,stationId,stationNumber,status,version,turnoutPercent,leadingParty,leaderSharePercent");
        foreach (var code in FlagCodes.All) csv.Append(',').Append(code);
        csv.Append('\n');
        foreach (var contest in catalog.Election.Contests)
        {
            var report = await grain.GetReportAsync(contest.Id, null, null);
            foreach (var row in await grain.GetStationRowsAsync(contest.Id))
            {
                var cells = new List<string?> { electionId, contest.Id, row.ConstituencyId, row.RegionId, row.StationId, N(row.Number), row.Status,
                    N(row.Version), N(row.Turnout), row.Turnout is null ? "" : report.LeadingParty, N(row.LeaderShare) };
                // Before close the protocol-derived codes are unknown (empty), not absent (0).
                cells.AddRange(FlagCodes.All.Select(code => !report.ResultsPublic && !FlagCodes.BeforeClose(code) ? "" : row.Codes.Contains(code) ? "1" : "0"));
                Row(csv, cells);
            }
        }
        return Results.Text(csv.ToString(), "text/csv; charset=utf-8", Encoding.UTF8);
    }

    private static void Row(StringBuilder sb, List<string?> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) sb.Append(',');
            var cell = cells[i] ?? "";
            if (cell.AsSpan().IndexOfAny(",\"\n\r") >= 0) sb.Append('"').Append(cell.Replace("\"", "\"\"")).Append('"');
            else sb.Append(cell);
        }
        sb.Append('\n');
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string N(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "";
}
