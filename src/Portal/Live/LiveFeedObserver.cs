using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
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
    IHubContext<LiveHub> hub, ElectionClock clock, ElectionCatalog catalog, TimeProvider time, ILogger<LiveFeedObserver> logger)
    : ILiveFeedObserver, ICameraStateObserver
{
    private readonly Lock _lock = new();
    private Dictionary<(string Topic, string Type, string Key), LiveMessage> _pending = [];
    private Func<string, bool> _owns = _ => true;

    /// <summary>Messages sent since start (for metrics and the benchmark).</summary>
    public long Sent => Interlocked.Read(ref _sent);
    private long _sent;

    public Task OnLiveMessagesAsync(IReadOnlyList<LiveMessage> messages)
    {
        lock (_lock)
            foreach (var m in messages) Keep(m, "");
        return Task.CompletedTask;
    }

    public void OnCameraStateChanged(CameraStateChanged change)
    {
        // Public fields only: the camera id and its state. Errors can name a source, so they stay on the ops wall.
        var state = new { cameraId = change.CameraId, stationId = change.StationId, state = change.State, at = change.At };
        var message = LiveJson.Message(LiveTopics.Station(catalog.Election.Id, change.StationId), LiveTopics.Camera, state);
        lock (_lock) Keep(message, change.CameraId);
    }

    /// <summary>In cluster mode each topic is sent by one host through the backplane; the others skip it (see <see cref="LiveFeedService"/>).</summary>
    public void SetOwnership(Func<string, bool> owns) => Volatile.Write(ref _owns, owns);

    /// <summary>Sends the newest message of each pending topic to its group.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        Dictionary<(string Topic, string Type, string Key), LiveMessage> batch;
        lock (_lock)
        {
            if (_pending.Count == 0) return;
            batch = _pending;
            _pending = [];
        }
        var owns = Volatile.Read(ref _owns);
        var resultsPublic = clock.ResultsArePublic;
        var sends = new List<Task>(batch.Count);
        foreach (var message in batch.Values)
        {
            // Art. 103: a results message produced before close must not reach anyone, whatever produced it.
            if (message.Type == LiveTopics.Results && !resultsPublic) continue;
            if (!owns(message.Topic)) continue;
            JsonElement state;
            // Disposing the document hands its pooled buffers back; the clone owns its own copy.
            try { using var document = JsonDocument.Parse(message.Json); state = document.RootElement.Clone(); }
            catch (JsonException e) { LogBadMessage(e, message.Topic, message.Type); continue; }
            var envelope = new LiveEnvelope(message.Topic, state, message.ServerTime, time.GetUtcNow());
            sends.Add(hub.Clients.Group(message.Topic).SendAsync(message.Type, envelope, cancellationToken));
        }
        try { await Task.WhenAll(sends); }
        catch (Exception e) when (e is not OperationCanceledException) { LogSendFailed(e); }
        Interlocked.Add(ref _sent, sends.Count);
    }

    private void Keep(LiveMessage message, string key)
    {
        var k = (message.Topic, message.Type, key);
        if (_pending.TryGetValue(k, out var held) && held.ServerTime > message.ServerTime) return;
        _pending[k] = message;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live message {Topic} {Type} is not JSON; dropped")]
    private partial void LogBadMessage(Exception exception, string topic, string type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending live messages to viewers failed")]
    private partial void LogSendFailed(Exception exception);
}
