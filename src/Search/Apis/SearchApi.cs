using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Portal.Search.Documents;

namespace Portal.Search.Apis;

public static class SearchApi
{
    /// <summary>The query parameters <see cref="Parse"/> reads, with what each means (the OpenAPI document lists them).</summary>
    public static readonly IReadOnlyList<(string Name, string Description)> QueryParameters =
    [
        ("q", $"words, \"phrases\", AND/OR/NOT, +/-, a trailing * for a prefix (at most {SearchRequest.MaxQueryLength} characters); Latin and Cyrillic Uzbek find each other"),
        ("type", "candidate, station or decision; several comma-separated or repeated"),
        ("region", "a region id"),
        ("from", "dated documents (decisions) on or after this date (yyyy-MM-dd)"),
        ("to", "dated documents (decisions) on or before this date (yyyy-MM-dd)"),
        ("page", "the page, from 1"),
        ("pageSize", $"hits per page (default {SearchRequest.DefaultPageSize})"),
        ("lang", "uz, uz-Cyrl, ru or en: the culture to show a hit in when several match equally"),
    ];

    /// <summary>GET /api/v1/search?q=&amp;type=&amp;region=&amp;from=&amp;to=&amp;page=&amp;pageSize=&amp;lang= (api.md section 3 "Public read API and video").</summary>
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/search", SearchAsync).WithName("Search")
            .WithTags("Search")
            .WithSummary("Candidates, stations and the commission's decisions, with highlights")
            .Produces<SearchResults>()
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(ErrorBody), ["application/json"])
                { Description = "a bad parameter or query; each error names its field" })
            .WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status503ServiceUnavailable, typeof(ErrorBody), ["application/json"])
                { Description = "the index is not available; Retry-After set" });
        return app;
    }

    private static async Task<IResult> SearchAsync(HttpContext context, ISearchIndex index, CancellationToken cancellationToken)
    {
        var (request, errors) = Parse(context.Request.Query);
        if (errors.Count > 0) return BadRequest(errors);
        try
        {
            var results = await index.SearchAsync(request, cancellationToken);
            // Public and anonymous: a CDN may keep an answer briefly; a fresh decision is at most this late there.
            context.Response.Headers.CacheControl = "public, max-age=5";
            return Results.Ok(results);
        }
        catch (SearchRequestException e)
        {
            return BadRequest(e.Errors);
        }
        catch (SearchUnavailableException e)
        {
            context.Response.Headers.RetryAfter = "5";
            return Results.Json(new ErrorBody([new SearchError("", "index_unavailable", e.Message)]), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static IResult BadRequest(IReadOnlyList<SearchError> errors) => Results.BadRequest(new ErrorBody(errors));

    internal sealed record ErrorBody(IReadOnlyList<SearchError> Errors);

    /// <summary>Reads the query string by hand: every bad parameter is reported in our error shape, never a binder's.</summary>
    public static (SearchRequest Request, List<SearchError> Errors) Parse(IQueryCollection query)
    {
        var errors = new List<SearchError>();
        var types = new List<SearchDocumentType>();
        foreach (var value in query["type"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (SearchDocumentTypes.TryParse(value, out var type)) types.Add(type);
            else errors.Add(new("type", "invalid", "type must be candidate, station or decision."));
        }
        var from = Date("from");
        var to = Date("to");
        var page = Number("page", 1);
        var pageSize = Number("pageSize", SearchRequest.DefaultPageSize);
        var language = (string?)query["lang"];
        if (language is not null && !SearchCultures.All.Contains(language))
            errors.Add(new("lang", "invalid", "lang must be uz, uz-Cyrl, ru or en."));
        if (query["q"].Count > 1) errors.Add(new("q", "repeated", "Give q once."));

        var request = new SearchRequest
        {
            Query = query["q"].FirstOrDefault(),
            Types = types,
            RegionId = query["region"].FirstOrDefault() is { Length: > 0 } region ? region : null,
            From = from,
            To = to,
            Page = page,
            PageSize = pageSize,
            Language = language,
        };
        if (errors.Count == 0) errors.AddRange(request.Validate());
        return (request, errors);

        DateOnly? Date(string name)
        {
            var text = query[name].FirstOrDefault();
            if (string.IsNullOrEmpty(text)) return null;
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)) return DateOnly.FromDateTime(time.Date);
            errors.Add(new(name, "invalid", $"{name} must be a date (yyyy-MM-dd)."));
            return null;
        }

        int Number(string name, int fallback)
        {
            var text = query[name].FirstOrDefault();
            if (string.IsNullOrEmpty(text)) return fallback;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return number;
            errors.Add(new(name, "invalid", $"{name} must be a whole number."));
            return fallback;
        }
    }
}
