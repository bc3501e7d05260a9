namespace Portal.Extensions;

/// <summary>
/// Pages take short query strings (a language, a search, a page number). A longer one is 414 with the JSON error body,
/// before it can be rendered (the language links repeat it) or become a cache entry of its own.
/// Machine paths keep their own limits (the search API answers its own 400).
/// </summary>
public static class PageQueryLimit
{
    public static IApplicationBuilder UsePageQueryLimit(this IApplicationBuilder app, int maxLength) => app.Use((context, next) =>
    {
        if (context.Request.QueryString.Value is not { } query || query.Length <= maxLength || PortalHostingExtensions.IsMachinePath(context.Request.Path))
            return next(context);
        context.Response.StatusCode = StatusCodes.Status414UriTooLong;
        return context.Response.WriteAsJsonAsync(new
        {
            errors = new[] { new { field = "query", code = "too-long", message = $"the query string is longer than {maxLength} characters" } },
        });
    });
}
