using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Portal.Grains.Abstractions;
using Portal.Grains.Live;
using Portal.Grains.Model;
using Portal.Hubs;

namespace Portal.Live;

/// <summary>
/// This web host's receiver of the live feed: the notifier grains' coalesced messages and camera state changes arrive
/// here, are coalesced again per topic (newest state wins) and sent to the topic's SignalR group on each flush, so a
/// topic reaches viewers at most a few times a second however fast grains publish. The only class holding
/// <see cref="IHubContext{LiveHub}"/>.
/// </summary>
public sealed partial class LiveFeedObserver(
    IHubContext<LiveHub> hub, ElectionClock clock, ElectionCatalog catalog, TimeProvider time, IOptions<LiveFeedOptions> options,
    ILogger<LiveFeedObserver> logger)
    : ILiveFeedObserver, ICameraStateObserver
{
    private readonly TimeSpan _sendTimeout = TimeSpan.FromSeconds(options.Value.SendTimeoutSeconds);
    private readonly Lock _lock = new();
    // Election topics and all other topics wait apart: they go out in alternate halves of the flush cycle (see FlushAsync).
    private Dictionary<(string Topic, string Type, string Key), LiveMessage> _pendingElection = [];
    private Dictionary<(string Topic, string Type, string Key), LiveMessage> _pendingOther = [];
    // Topic -> subscriptions of this host's viewers (LiveHub). Every node's observer gets every message of the cluster;
    // one for a topic nobody here watches is dropped, not parsed and sent to an empty group. A viewer who subscribes
    // later gets the topic's state with the subscription, newer than anything dropped before.
    private readonly TopicWatchers _watched = new();

    /// <summary>Messages sent since start (for metrics and the benchmark).</summary>
    public long Sent => Interlocked.Read(ref _sent);
    private long _sent;

    /// <summary>Every message the grains sent this host (the area feed builds its region and constituency states from them).</summary>
    public event Action<IReadOnlyList<LiveMessage>>? MessagesReceived;

    public Task OnLiveMessagesAsync(IReadOnlyList<LiveMessage> messages)
    {
        lock (_lock)
            foreach (var m in messages) Keep(m, "");
        MessagesReceived?.Invoke(messages);
        return Task.CompletedTask;
    }

    /// <summary>A viewer on this host subscribed to <paramref name="topic"/>.</summary>
    public void Watch(string topic)
    {
        lock (_lock) _watched.Add(topic);
    }

    /// <summary>A viewer on this host unsubscribed from <paramref name="topic"/> or went away.</summary>
    public void Unwatch(string topic)
    {
        lock (_lock) _watched.Remove(topic);
    }

    /// <summary>A message made on this host (an area state): sent with the next flush like the grains' messages.</summary>
    public void Publish(LiveMessage message)
    {
        lock (_lock) Keep(message, "");
    }

    public void OnCameraStateChanged(CameraStateChanged change)
    {
        // Public fields only: the camera's state and since when. Errors can name a source, so they stay on the ops wall.
        var state = PublicCameraState.Of(change, clock);
        var station = LiveJson.Message(LiveTopics.Station(catalog.Election.Id, change.StationId), LiveTopics.Camera, state);
        var cameras = LiveJson.Message(LiveTopics.Cameras(catalog.Election.Id), LiveTopics.Camera, state);
        lock (_lock)
        {
            Keep(station, change.CameraId);
            Keep(cameras, change.CameraId);
        }
    }

    /// <summary>Starts sending the newest message of every pending topic to its group.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(LiveFlushPhase.Election, cancellationToken);
        await FlushAsync(LiveFlushPhase.Other, cancellationToken);
    }

    /// <summary>
    /// Sends the newest message of each pending topic of one phase to its group. <see cref="LiveFeedService"/> alternates
    /// the phases every half flush period: the election topic goes to every viewer of every page, so sending the page
    /// topics (station, constituency) in the other half keeps a viewer's two messages out of one burst of writes, and
    /// each topic still goes out at most once per period.
    /// </summary>
    public Task FlushAsync(LiveFlushPhase phase, CancellationToken cancellationToken)
    {
        Dictionary<(string Topic, string Type, string Key), LiveMessage> batch;
        lock (_lock)
        {
            if (phase == LiveFlushPhase.Election)
            {
                if (_pendingElection.Count == 0) return Task.CompletedTask;
                (batch, _pendingElection) = (_pendingElection, []);
            }
            else
            {
                if (_pendingOther.Count == 0) return Task.CompletedTask;
                (batch, _pendingOther) = (_pendingOther, []);
            }
        }
        var resultsPublic = clock.ResultsArePublic;
        // One deadline for every send of this flush. A send to a group writes to each member's connection without waiting
        // for the others; a write still queued behind a stalled one at the deadline gives up (and the stalled socket is
        // closed by its transport's send timeout, the same length), so what a socket that never reads holds is bounded.
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_sendTimeout);
        var sends = new List<Task>(batch.Count);
        foreach (var message in batch.Values)
        {
            // Art. 103: a results message produced before close must not reach anyone, whatever produced it.
            if (message.Type == LiveTopics.Results && !resultsPublic) continue;
            JsonElement state;
            // Disposing the document hands its pooled buffers back; the clone owns its own copy.
            try { using var document = JsonDocument.Parse(message.Json); state = document.RootElement.Clone(); }
            catch (JsonException e) { LogBadMessage(e, message.Topic, message.Type); continue; }
            var envelope = new LiveEnvelope(message.Topic, state, message.ServerTime, time.GetUtcNow());
            sends.Add(hub.Clients.Group(message.Topic).SendAsync(message.Type, envelope, deadline.Token));
        }
        Interlocked.Add(ref _sent, sends.Count);
        // Not awaited: the next flush must not wait for this one's slowest socket (one that never reads would hold every
        // viewer's next update until it was dropped).
        _ = CompleteSendsAsync(sends, deadline);
        return Task.CompletedTask;
    }

    private async Task CompleteSendsAsync(List<Task> sends, CancellationTokenSource deadline)
    {
        try { await Task.WhenAll(sends); }
        // A write that waited past the deadline for its turn on a stalled connection: that connection is being dropped.
        catch (OperationCanceledException) { }
        catch (Exception e) { LogSendFailed(e); }
        finally { deadline.Dispose(); }
    }

    private void Keep(LiveMessage message, string key)
    {
        if (!_watched.Contains(message.Topic)) return;
        var k = (message.Topic, message.Type, key);
        var pending = message.Topic.StartsWith(ElectionTopicPrefix, StringComparison.Ordinal) ? _pendingElection : _pendingOther;
        if (pending.TryGetValue(k, out var held) && held.ServerTime > message.ServerTime) return;
        pending[k] = message;
    }

    private static readonly string ElectionTopicPrefix = LiveTopics.Election("");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live message {Topic} {Type} is not JSON; dropped")]
    private partial void LogBadMessage(Exception exception, string topic, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending live messages to viewers failed")]
    private partial void LogSendFailed(Exception exception);
}

/// <summary>The two halves of a live feed flush cycle: the election topics, then every other topic.</summary>
public enum LiveFlushPhase { Election, Other }
