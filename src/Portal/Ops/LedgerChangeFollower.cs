using Microsoft.Extensions.Options;
using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.Search;
using Portal.Search.Documents;
using StackExchange.Redis;

namespace Portal.Ops;

/// <summary>Section "Consistency": how fast the other nodes apply a published decision or a station-key change.</summary>
public sealed class LedgerChangeOptions
{
    public const string Section = "Consistency";

    /// <summary>The follower reads the ledger at least this often, notification or not (the backstop for a lost message).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Announces, on Redis pub/sub, that this node appended an entry every node must apply at once: a published decision, a
/// station-key change, an invalidation. Only the ledger entry is durable; the message is a wake-up call (best effort) and
/// carries nothing but the entry's sequence number.
/// </summary>
public sealed class LedgerChangeSignal(IServiceProvider services, PortalClusterChannel channel)
{
    public static bool MustReachEveryNode(string kind) =>
        kind is LedgerKinds.Decision or LedgerKinds.Invalidation or LedgerKinds.StationKey;

    public void Announce(long seq)
    {
        if (services.GetService(typeof(IConnectionMultiplexer)) is not IConnectionMultiplexer redis) return;
        // Fire and forget: the appending request must not wait for, or fail on, the announcement.
        _ = redis.GetSubscriber().PublishAsync(channel.Name, seq, CommandFlags.FireAndForget);
    }
}

/// <summary>The pub/sub channel of one cluster (its ServiceId), so two clusters on one Redis do not wake each other.</summary>
public sealed record PortalClusterChannel(RedisChannel Name);

/// <summary>
/// Appends through the real ledger store and announces the entries other nodes must apply at once
/// (<see cref="LedgerChangeSignal.MustReachEveryNode"/>); every other entry passes straight through.
/// </summary>
public sealed class AnnouncingLedgerStore(ILedgerStore inner, LedgerChangeSignal signal) : ILedgerStore, IAsyncDisposable
{
    // The container disposes what it created, which is this decorator: the store it wraps is closed here.
    public async ValueTask DisposeAsync()
    {
        if (inner is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
        else if (inner is IDisposable disposable) disposable.Dispose();
    }

    public async Task<LedgerEntry> AppendAsync(LedgerAppend append, CancellationToken cancellationToken = default)
    {
        var entry = await inner.AppendAsync(append, cancellationToken);
        if (LedgerChangeSignal.MustReachEveryNode(append.Kind)) signal.Announce(entry.Seq);
        return entry;
    }

    public Task<LedgerHead> GetHeadAsync(CancellationToken cancellationToken = default) => inner.GetHeadAsync(cancellationToken);

    public Task<IReadOnlyList<LedgerEntry>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(afterSeq, limit, cancellationToken);

    public Task<IReadOnlyList<LedgerEntry>> ReadStationsAsync(IReadOnlyCollection<string> stationIds, CancellationToken cancellationToken = default) =>
        inner.ReadStationsAsync(stationIds, cancellationToken);
}

/// <summary>
/// Keeps this node's own copies in step with the shared ledger: the ops ledger view (decision pages and the station-key
/// registry the intake checks) and this node's embedded search index (published decisions; not with the shared
/// Elasticsearch index, which the publishing node wrote). Woken by another node's
/// announcement on Redis, and at least every <see cref="LedgerChangeOptions.PollInterval"/> without one, so a decision
/// published or a key revoked on one node is in effect on every node within about a second.
/// </summary>
public sealed partial class LedgerChangeFollower(
    OpsLedgerView view, ISearchIndex search, ElectionCatalog catalog, PortalClusterChannel channel, IServiceProvider services,
    IOptions<LedgerChangeOptions> options, ILogger<LedgerChangeFollower> logger) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);
    // Decision id -> the ledger entry indexed for it; a republished decision (a new entry) is indexed again.
    private readonly Dictionary<string, long> _indexed = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var subscribed = await SubscribeAsync();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await view.CatchUpAsync(stoppingToken);
                    await IndexNewDecisionsAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFollowFailed(e);
                }
                await _wake.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            if (subscribed is not null) await subscribed.UnsubscribeAsync(channel.Name);
        }
    }

    private async Task<ISubscriber?> SubscribeAsync()
    {
        if (services.GetService(typeof(IConnectionMultiplexer)) is not IConnectionMultiplexer redis) return null;
        var subscriber = redis.GetSubscriber();
        try
        {
            await subscriber.SubscribeAsync(channel.Name, (_, _) => Wake());
            return subscriber;
        }
        catch (RedisException e)
        {
            // The poll still brings every change; StackExchange.Redis re-subscribes by itself when the connection returns.
            LogSubscribeFailed(e);
            return subscriber;
        }
    }

    private void Wake()
    {
        try { _wake.Release(); }
        catch (SemaphoreFullException) { }
    }

    private async Task IndexNewDecisionsAsync(CancellationToken cancellationToken)
    {
        // A shared index (Elasticsearch) already has what the publishing node indexed.
        if (search.IsShared || search.State != SearchIndexState.Ready) return;
        foreach (var decision in view.Decisions)
        {
            if (_indexed.TryGetValue(decision.Id, out var seq) && seq == decision.LedgerSeq) continue;
            DecisionDocument document = OpsDecisionService.ToDocument(decision, catalog);
            // Replaces by id: indexing a decision this node published itself again is harmless.
            await search.IndexDecisionAsync(document, cancellationToken);
            _indexed[decision.Id] = decision.LedgerSeq;
            LogIndexed(decision.Id, decision.LedgerSeq);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following the ledger for decisions and key changes failed; retrying.")]
    private partial void LogFollowFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe to the cluster's ledger announcements; polling only until Redis returns.")]
    private partial void LogSubscribeFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Decision {DecisionId} (ledger entry {Seq}) indexed on this node.")]
    private partial void LogIndexed(string decisionId, long seq);
}
