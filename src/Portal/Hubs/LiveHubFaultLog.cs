using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Portal.Live;
using Serilog.Core;
using Serilog.Events;

namespace Portal.Hubs;

/// <summary>
/// Quiet logs under attack. SignalR logs every failed hub call as an Error with its stack trace (binding failures and
/// unknown methods before any hub filter sees them), so bad calls could fill the log (19,941 entries, 29 MB in a
/// minute). This Serilog filter drops SignalR's events for faults of the client, counting those
/// <see cref="LiveHubCallFilter"/> did not, and <see cref="LiveHubFaultSummary"/> logs one Warning per period with the
/// counts. A fault of the server (any other exception, or one the hub threw unexpectedly) stays an Error.
/// </summary>
public sealed class LiveHubFaultLog(LiveHubMetrics metrics) : ILogEventFilter
{
    private const string CountedKey = "portal.live-hub.counted";
    private const string ServerFaultKey = "portal.live-hub.server-fault";

    /// <summary>Marks a client fault as counted (so its log event is dropped without counting it again) and counts it.</summary>
    public static TException Counted<TException>(TException exception, LiveHubMetrics metrics, string kind) where TException : Exception
    {
        exception.Data[CountedKey] = true;
        metrics.Fault(kind);
        return exception;
    }

    public static bool IsCounted(Exception exception) => exception.Data.Contains(CountedKey);

    /// <summary>Marks an exception a hub method threw unexpectedly: the server's fault, logged whatever its type.</summary>
    public static void MarkServerFault(Exception exception) => exception.Data[ServerFaultKey] = true;

    public bool IsEnabled(LogEvent logEvent)
    {
        if (logEvent.Exception is not { } e || logEvent.Level < LogEventLevel.Warning) return true;
        if (!logEvent.Properties.TryGetValue("SourceContext", out var source) || source is not ScalarValue { Value: string context }
            || !context.StartsWith("Microsoft.AspNetCore.SignalR", StringComparison.Ordinal)) return true;
        if (e.Data.Contains(ServerFaultKey)) return true;
        if (IsCounted(e)) return false;
        // What a client's message alone causes: no such method or bad arguments (HubException from the binder, JSON and
        // format errors), a malformed or oversized message (InvalidDataException).
        if (e is HubException or InvalidDataException or JsonException or FormatException)
        {
            metrics.Fault(LiveHubMetrics.BadCall);
            return false;
        }
        return true;
    }
}

/// <summary>Logs the live hub's client faults as one Warning per <see cref="LiveFeedOptions.FaultSummarySeconds"/>, when there were any.</summary>
public sealed partial class LiveHubFaultSummary(LiveHubMetrics metrics, IOptions<LiveFeedOptions> options, ILogger<LiveHubFaultSummary> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = options.Value.FaultSummarySeconds;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var faults = metrics.TakeSinceSummary();
                if (faults.Count == 0) continue;
                LogFaults(faults.Values.Sum(), seconds, faults.GetValueOrDefault(LiveHubMetrics.RateLimited),
                    faults.GetValueOrDefault(LiveHubMetrics.Refused), faults.GetValueOrDefault(LiveHubMetrics.BadCall));
            }
        }
        catch (OperationCanceledException) { }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} live-hub calls refused as the clients' fault in the last {Seconds} s: " +
        "{RateLimited} rate-limited, {Refused} refused by the hub, {BadCalls} bad calls (portal_live_hub_faults_total)")]
    private partial void LogFaults(long count, int seconds, long rateLimited, long refused, long badCalls);
}
