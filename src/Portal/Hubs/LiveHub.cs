using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Portal.Grains.Abstractions;
using Portal.Grains.Live;
using Portal.Grains.Model;
using Portal.Live;
using Portal.Ops;

namespace Portal.Hubs;

/// <summary>
/// The anonymous live hub (api.md section 4 "Live hub"). It only manages subscriptions: a viewer joins a topic's group and gets the
/// topic's current state at once (once: subscribing to a topic held is a no-op); updates come from
/// <see cref="LiveFeedObserver"/>. A viewer costs a socket and group memberships, never a Blazor circuit. Calls are rate
/// limited per connection by <see cref="LiveHubCallFilter"/>.
/// </summary>
public sealed class LiveHub(
    ElectionCatalog catalog, ElectionClock clock, IGrainFactory grains, IOptions<LiveFeedOptions> options, TimeProvider time, LiveHubMetrics metrics,
    CameraBoard cameras, LiveAreaFeed areas, LiveFeedObserver feed)
    : Hub
{
    private const string TopicsKey = "topics";

    public override Task OnConnectedAsync()
    {
        metrics.Connected();
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.Disconnected();
        var topics = Topics();
        lock (topics)
            foreach (var topic in topics)
            {
                areas.Unwatch(topic);
                feed.Unwatch(topic);
            }
        return Task.CompletedTask;
    }

    public async Task Subscribe(string topic)
    {
        var parsed = LiveTopicParser.Parse(topic, catalog) ?? throw new HubException($"unknown topic \"{Trim(topic)}\"");
        var topics = Topics();
        lock (topics)
        {
            // Held already: the viewer has the state and gets every update. Sending the snapshot again would let one
            // connection have the server send it as often as it asks (10,000 asks were 587 MB).
            if (topics.Contains(parsed.Name)) return;
            if (topics.Count >= options.Value.MaxSubscriptionsPerConnection)
                throw new HubException($"at most {options.Value.MaxSubscriptionsPerConnection} topics per connection");
            topics.Add(parsed.Name);
            feed.Watch(parsed.Name);
        }
        areas.Watch(parsed);
        await Groups.AddToGroupAsync(Context.ConnectionId, parsed.Name, Context.ConnectionAborted);
        // A viewer who (re)subscribes may have missed updates; the newest state makes up for all of them.
        foreach (var (type, state) in await SnapshotAsync(parsed))
            await Clients.Caller.SendAsync(type, new LiveEnvelope(parsed.Name, state, time.GetUtcNow(), time.GetUtcNow()), Context.ConnectionAborted);
    }

    public async Task Unsubscribe(string topic)
    {
        var parsed = LiveTopicParser.Parse(topic, catalog) ?? throw new HubException($"unknown topic \"{Trim(topic)}\"");
        var topics = Topics();
        lock (topics)
            if (topics.Remove(parsed.Name))
            {
                areas.Unwatch(parsed.Name);
                feed.Unwatch(parsed.Name);
            }
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, parsed.Name, Context.ConnectionAborted);
    }

    private HashSet<string> Topics()
    {
        if (Context.Items.TryGetValue(TopicsKey, out var held) && held is HashSet<string> set) return set;
        var created = new HashSet<string>(StringComparer.Ordinal);
        Context.Items[TopicsKey] = created;
        return created;
    }

    private async Task<List<(string Type, JsonElement State)>> SnapshotAsync(LiveTopic topic)
    {
        var snapshot = new List<(string, JsonElement)>();
        var resultsPublic = clock.ResultsArePublic;
        switch (topic.Kind)
        {
            case LiveTopicKind.Election:
                var results = await grains.GetGrain<IElectionGrain>(topic.ElectionId).GetResultsAsync();
                snapshot.Add((LiveTopics.Turnout, Json(new { results.ElectionId, results.ElectionTime, results.Turnout, results.RegionTurnout })));
                if (resultsPublic && results.ResultsPublic) snapshot.Add((LiveTopics.Results, Json(results)));
                break;
            case LiveTopicKind.Station:
                var details = await grains.GetGrain<IPollingStationGrain>(GrainKeys.Station(topic.ElectionId, topic.StationId!)).GetDetailsAsync();
                if (details.PublishedTurnout is not null)
                    snapshot.Add((LiveTopics.Turnout, Json(new StationTurnoutState(topic.StationId!, details.PublishedTurnout))));
                if (resultsPublic && details.ResultsPublic) snapshot.Add((LiveTopics.Results, Json(details)));
                foreach (var camera in details.Info.Cameras.Where(c => c.Enabled))
                    if (cameras.Find(camera.Id) is { } tile) snapshot.Add((LiveTopics.Camera, Json(PublicCameraState.Of(tile, clock))));
                break;
            case LiveTopicKind.Cameras:
                // One message for every enabled camera (about 80 bytes each), not one per camera: a reconnect costs one send.
                var states = cameras.Query(new CameraFilter(), 0, int.MaxValue).Items.Where(t => t.Enabled).Select(t => PublicCameraState.Of(t, clock)).ToList();
                snapshot.Add((LiveTopics.CamerasSnapshot, Json(new PublicCameraStates(states))));
                break;
            case LiveTopicKind.Constituency:
                if (!resultsPublic) break;
                var constituency = await grains.GetGrain<IConstituencyGrain>(GrainKeys.Constituency(topic.ElectionId, topic.ContestId!, topic.ConstituencyId!)).GetResultsAsync();
                if (constituency.ResultsPublic) snapshot.Add((LiveTopics.Results, Json(constituency)));
                break;
            case LiveTopicKind.Region:
                break;
        }
        if (topic.Kind is LiveTopicKind.Region or LiveTopicKind.Constituency or LiveTopicKind.Election && (await areas.StateAsync(topic)) is { } area)
        {
            // The sections a page patches: always, turnout and protocol statuses (figures only after close).
            snapshot.Add((LiveAreaFeed.AreaType, Json(area)));
        }
        return snapshot;
    }

    private static JsonElement Json<T>(T value) => JsonSerializer.SerializeToElement(value, LiveJson.Options);

    private static string Trim(string? topic) => topic is null ? "" : topic.Length <= 64 ? topic : topic[..64] + "…";
}
