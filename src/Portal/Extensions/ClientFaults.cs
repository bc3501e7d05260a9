using Prometheus;

namespace Portal.Extensions;

/// <summary>
/// A client that aborts its request, sends a malformed or too slow body, or goes away mid-response is the client's fault,
/// not the server's: counted (<c>portal_client_faults_total{kind}</c>) and logged at Debug, never an Error with a stack
/// trace per request (an attacker could fill the log with them). The answer is the fault's own 4xx when it can still be sent.
/// </summary>
public static partial class ClientFaults
{
    private static readonly Counter Faults = Metrics.CreateCounter("portal_client_faults_total",
        "Requests ended by the client's fault: aborted, bad or too slow body, gone mid-response.", "kind");

    /// <summary>Call inside the exception handler, so these never reach it.</summary>
    public static IApplicationBuilder UseClientFaults(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Portal.ClientFaults");
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            // Readers wrap it (antiforgery reading the form: InvalidOperationException), so the chain is searched.
            catch (Exception e) when (BadRequestIn(e) is { } bad)
            {
                Record(context, logger, "bad-request", bad);
                if (!context.Response.HasStarted) context.Response.StatusCode = bad.StatusCode;
            }
            catch (Exception e) when (context.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
            {
                Record(context, logger, "aborted", e);
                // Nobody reads it; the status is for the logs and metrics of the server only.
                if (!context.Response.HasStarted) context.Response.StatusCode = 499;
            }
        });
    }

    private static BadHttpRequestException? BadRequestIn(Exception? e)
    {
        for (var depth = 0; e is not null && depth < 8; e = e.InnerException, depth++)
            if (e is BadHttpRequestException bad) return bad;
        return null;
    }

    private static void Record(HttpContext context, ILogger logger, string kind, Exception e)
    {
        Faults.WithLabels(kind).Inc();
        LogClientFault(logger, kind, context.Request.Method, context.Request.Path.Value ?? "", e.GetType().Name, e.Message);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client fault ({Kind}) on {Method} {Path}: {ExceptionType}: {Reason}")]
    private static partial void LogClientFault(ILogger logger, string kind, string method, string path, string exceptionType, string reason);
}
