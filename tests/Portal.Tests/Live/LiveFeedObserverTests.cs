using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Grains.Abstractions;
using Portal.Grains.Demo;
using Portal.Grains.Live;
using Portal.Grains.Model;
using Portal.Hubs;
using Portal.Live;

namespace Portal.Tests.Live;

public sealed class LiveFeedObserverTests
{
    private static readonly ElectionCatalog Catalog = new(DemoElectionGenerator.Generate(new DemoElectionOptions
    {
        Stations = 20, ActiveCameraStations = 2, ElectionDay = new DateOnly(2024, 10, 27),
    }), []);

    private readonly FakeTimeProvider _time = new(Catalog.Election.PollsOpen.AddHours(2));
    private readonly RecordingHub _hub = new();
    private readonly LiveFeedObserver _observer;

    public LiveFeedObserverTests()
    {
        _observer = new LiveFeedObserver(_hub, ElectionClock.FromTimeProvider(Catalog, _time), Catalog, _time, Options.Create(new LiveFeedOptions()),
            NullLogger<LiveFeedObserver>.Instance);
        // A viewer of this host on every topic these tests publish to (LiveHub does this on Subscribe).
        var topics = Catalog.Stations.Select(s => Station(s.Id)).Concat(new[] { "1-0001", "1-0002", "1-0003", "1-0004" }.Select(Station))
            .Append(LiveTopics.Election(Catalog.Election.Id)).Append(LiveTopics.Cameras(Catalog.Election.Id));
        foreach (var topic in topics.Distinct()) _observer.Watch(topic);
    }

    private static string Station(string id) => LiveTopics.Station(Catalog.Election.Id, id);

    private LiveMessage Message(string topic, string type, int value) =>
        new(topic, type, $$"""{"value":{{value}}}""", _time.GetUtcNow());

    [Fact]
    public async Task ManyUpdatesOfATopicBetweenFlushesBecomeOneSendOfTheNewest()
    {
        for (var i = 1; i <= 50; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(1));
            await _observer.OnLiveMessagesAsync([Message(Station("1-0001"), LiveTopics.Turnout, i)]);
        }
        await _observer.OnLiveMessagesAsync([Message(Station("1-0002"), LiveTopics.Turnout, 7)]);
        await _observer.FlushAsync(CancellationToken.None);

        Assert.Equal(2, _hub.Sent.Count);
        var first = Assert.Single(_hub.Sent, s => s.Group == Station("1-0001"));
        Assert.Equal("turnout", first.Method);
        var envelope = Assert.IsType<LiveEnvelope>(first.Argument);
        Assert.Equal(50, envelope.State.GetProperty("value").GetInt32());
        Assert.Equal(Station("1-0001"), envelope.Topic);
        Assert.Equal(_time.GetUtcNow(), envelope.SentAt);

        await _observer.FlushAsync(CancellationToken.None);
        Assert.Equal(2, _hub.Sent.Count); // nothing new, nothing sent
    }

    [Fact]
    public async Task ATopicNoViewerOfThisHostWatchesIsNotSent()
    {
        var station = Station("1-0003");
        _observer.Unwatch(station);
        await _observer.OnLiveMessagesAsync([Message(station, LiveTopics.Turnout, 1), Message(Station("1-0004"), LiveTopics.Turnout, 2)]);
        await _observer.FlushAsync(CancellationToken.None);
        Assert.Equal([Station("1-0004")], _hub.Sent.Select(s => s.Group));

        // Two viewers, one leaves: the topic is still watched.
        _observer.Watch(station);
        _observer.Watch(station);
        _observer.Unwatch(station);
        await _observer.OnLiveMessagesAsync([Message(station, LiveTopics.Turnout, 3)]);
        await _observer.FlushAsync(CancellationToken.None);
        Assert.Equal([Station("1-0004"), station], _hub.Sent.Select(s => s.Group));
        Assert.Equal(3, Assert.IsType<LiveEnvelope>(_hub.Sent[1].Argument).State.GetProperty("value").GetInt32());
    }

    [Fact]
    public async Task TheElectionTopicAndThePageTopicsGoOutInTheirOwnPhases()
    {
        var election = LiveTopics.Election(Catalog.Election.Id);
        await _observer.OnLiveMessagesAsync([Message(election, LiveTopics.Turnout, 1), Message(Station("1-0001"), LiveTopics.Turnout, 2)]);

        await _observer.FlushAsync(LiveFlushPhase.Election, CancellationToken.None);
        Assert.Equal([election], _hub.Sent.Select(s => s.Group));

        await _observer.FlushAsync(LiveFlushPhase.Election, CancellationToken.None);
        Assert.Single(_hub.Sent); // the station topic waits for its own phase

        await _observer.FlushAsync(LiveFlushPhase.Other, CancellationToken.None);
        Assert.Equal([election, Station("1-0001")], _hub.Sent.Select(s => s.Group));
        Assert.Equal(2, Assert.IsType<LiveEnvelope>(_hub.Sent[1].Argument).State.GetProperty("value").GetInt32());
    }

    [Fact]
    public async Task AnOlderMessageArrivingLateDoesNotReplaceANewerOne()
    {
        var older = Message(Station("1-0001"), LiveTopics.Turnout, 1);
        _time.Advance(TimeSpan.FromSeconds(1));
        await _observer.OnLiveMessagesAsync([Message(Station("1-0001"), LiveTopics.Turnout, 2), older]);
        await _observer.FlushAsync(CancellationToken.None);
        Assert.Equal(2, Assert.IsType<LiveEnvelope>(Assert.Single(_hub.Sent).Argument).State.GetProperty("value").GetInt32());
    }

    [Fact]
    public async Task ResultsNeverLeaveBeforePollsClose()
    {
        await _observer.OnLiveMessagesAsync([Message(LiveTopics.Election(Catalog.Election.Id), LiveTopics.Results, 1),
            Message(LiveTopics.Election(Catalog.Election.Id), LiveTopics.Turnout, 1)]);
        await _observer.FlushAsync(CancellationToken.None);
        Assert.Equal(["turnout"], _hub.Sent.Select(s => s.Method));

        _time.SetUtcNow(Catalog.Election.PollsClose.AddMinutes(1));
        await _observer.OnLiveMessagesAsync([Message(LiveTopics.Election(Catalog.Election.Id), LiveTopics.Results, 2)]);
        await _observer.FlushAsync(CancellationToken.None);
        Assert.Equal(["turnout", "results"], _hub.Sent.Select(s => s.Method));
    }

    [Fact]
    public async Task CameraChangesGoToTheirStationPerCameraWithoutErrorText()
    {
        var station = Catalog.Stations.First(s => s.Cameras.Count > 0);
        var camera = station.Cameras[0].Id;
        _observer.OnCameraStateChanged(new CameraStateChanged(camera, station.Id, CameraState.Offline, CameraState.Live, _time.GetUtcNow(), 0, 3,
            "rtsp://user:secret@10.0.0.5/stream1 timed out"));
        await _observer.FlushAsync(CancellationToken.None);
        // To the station's viewers and to the national cameras topic (the desk, the list of cameras on air).
        Assert.Equal([("camera", Station(station.Id)), ("camera", LiveTopics.Cameras(Catalog.Election.Id))],
            _hub.Sent.Select(s => (s.Method, s.Group)).OrderByDescending(s => s.Group.StartsWith("station", StringComparison.Ordinal)));
        foreach (var sent in _hub.Sent)
        {
            var state = Assert.IsType<LiveEnvelope>(sent.Argument).State;
            Assert.Equal("offline", state.GetProperty("state").GetString());
            Assert.Equal(camera, state.GetProperty("cameraId").GetString());
            Assert.True(state.TryGetProperty("since", out _), state.GetRawText());
            Assert.DoesNotContain("secret", state.GetRawText());
            Assert.DoesNotContain("rtsp", state.GetRawText());
        }
    }

    /// <summary>Records what would go to SignalR groups.</summary>
    private sealed class RecordingHub : IHubContext<LiveHub>
    {
        public RecordingHub() => Clients = new RecordingClients(this);
        public List<(string Group, string Method, object? Argument)> Sent { get; } = [];
        public IHubClients Clients { get; }
        public IGroupManager Groups => throw new NotSupportedException();
    }

    private sealed class RecordingClients(RecordingHub hub) : IHubClients
    {
        public IClientProxy Group(string groupName) => new Proxy(hub, groupName);
        public IClientProxy All => throw new NotSupportedException();
        public IClientProxy AllExcept(IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();
        public IClientProxy Client(string connectionId) => throw new NotSupportedException();
        public IClientProxy Clients(IReadOnlyList<string> connectionIds) => throw new NotSupportedException();
        public IClientProxy GroupExcept(string groupName, IReadOnlyList<string> excludedConnectionIds) => throw new NotSupportedException();
        public IClientProxy Groups(IReadOnlyList<string> groupNames) => throw new NotSupportedException();
        public IClientProxy User(string userId) => throw new NotSupportedException();
        public IClientProxy Users(IReadOnlyList<string> userIds) => throw new NotSupportedException();
    }

    private sealed class Proxy(RecordingHub hub, string group) : IClientProxy
    {
        public Task SendCoreAsync(string method, object?[] args, CancellationToken cancellationToken = default)
        {
            lock (hub.Sent) hub.Sent.Add((group, method, args.Single()));
            return Task.CompletedTask;
        }
    }
}
