using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Portal.Live;

namespace Portal.Hubs;

/// <summary>
/// Every live-hub call passes here. Each connection has a token bucket (<see cref="LiveFeedOptions.HubCallBurst"/>,
/// refilled at <see cref="LiveFeedOptions.HubCallsPerSecond"/>): a call beyond it is refused with "rate-limited" before it
/// reads a grain or sends a snapshot. Per connection, not per address, so thousands of honest viewers behind one
/// carrier-grade NAT address each keep their own. Refusals are counted in <see cref="LiveHubMetrics"/>, not logged.
/// </summary>
public sealed class LiveHubCallFilter(IOptions<LiveFeedOptions> options, TimeProvider time, LiveHubMetrics metrics) : IHubFilter
{
    private const string BucketKey = "call-bucket";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocation, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var items = invocation.Context.Items;
        if (!items.TryGetValue(BucketKey, out var held) || held is not Bucket bucket)
            items[BucketKey] = bucket = new Bucket(options.Value.HubCallBurst, time.GetTimestamp());
        if (!bucket.TryTake(options.Value.HubCallBurst, options.Value.HubCallsPerSecond, time))
            throw LiveHubFaultLog.Counted(new HubException("rate-limited: too many calls on this connection; slow down"), metrics, LiveHubMetrics.RateLimited);
        try
        {
            return await next(invocation);
        }
        catch (HubException e) when (!LiveHubFaultLog.IsCounted(e))
        {
            // Thrown by the hub for the caller's mistake (an unknown topic, too many topics): the caller gets the message.
            throw LiveHubFaultLog.Counted(e, metrics, LiveHubMetrics.Refused);
        }
        catch (Exception e) when (e is not HubException)
        {
            LiveHubFaultLog.MarkServerFault(e);
            throw;
        }
    }

    /// <summary>Tokens refill continuously from the time of the last take; a connection's calls run one at a time, the lock is for safety only.</summary>
    private sealed class Bucket(double tokens, long at)
    {
        private readonly Lock _lock = new();
        private double _tokens = tokens;
        private long _at = at;

        public bool TryTake(int burst, double perSecond, TimeProvider time)
        {
            lock (_lock)
            {
                var now = time.GetTimestamp();
                _tokens = Math.Min(burst, _tokens + time.GetElapsedTime(_at, now).TotalSeconds * perSecond);
                _at = now;
                if (_tokens < 1) return false;
                _tokens -= 1;
                return true;
            }
        }
    }
}
