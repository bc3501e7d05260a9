namespace Portal.Live;

/// <summary>Section "LiveFeed".</summary>
public sealed class LiveFeedOptions
{
    public const string Section = "LiveFeed";

    /// <summary>
    /// How often pending topics are sent: a topic reaches viewers at most 1000/FlushMilliseconds times a second. Twice a
    /// second is plenty for a figure a person reads, and the fan-out (every send goes to every viewer of the topic: 5,000
    /// sockets for the election topic in the viewers benchmark) costs half of what four times a second costs. The election
    /// topics go out at the start of each period and the other topics half a period later.
    /// </summary>
    public int FlushMilliseconds { get; set; } = 500;

    /// <summary>How often this host re-registers its observer (registrations expire after three minutes).</summary>
    public int RegisterSeconds { get; set; } = 30;

    /// <summary>Topics one connection may hold at once.</summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 32;

    /// <summary>
    /// How long a viewer's socket may take to accept a send. A viewer whose socket stopped reading is disconnected after
    /// it (the transport's send timeout); its client reconnects, resubscribes and gets the newest state. Messages waiting
    /// behind a stalled send give up after it too. Flushes never wait for sends, so one socket that never reads holds back
    /// nothing but its own messages, and only for this long.
    /// </summary>
    public int SendTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// Hub calls (Subscribe, Unsubscribe, anything) one connection may make in a burst: a page subscribes to its few
    /// topics at once, and a connection may hold <see cref="MaxSubscriptionsPerConnection"/>.
    /// </summary>
    public int HubCallBurst { get; set; } = 40;

    /// <summary>Hub calls per second one connection may make after its burst; calls beyond are refused ("rate-limited").</summary>
    public double HubCallsPerSecond { get; set; } = 5;

    /// <summary>Bad hub calls are counted, not logged one by one; a Warning with the counts goes out at most this often.</summary>
    public int FaultSummarySeconds { get; set; } = 60;
}
