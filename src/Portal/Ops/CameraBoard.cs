using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Portal.Grains.Abstractions;
using Portal.Grains.Model;

namespace Portal.Ops;

/// <summary>One camera as the ops wall shows it. No source URL: the wall never needs it.</summary>
public sealed record CameraTile(
    string CameraId, string StationId, int StationNumber, string RegionId, string? ConstituencyId, bool Enabled,
    CameraState State, DateTimeOffset? Since, double BitrateKbps, int Restarts, string? LastError);

public enum CameraAlertKind { Offline, Frozen, Black, RestartLoop }

public sealed record CameraAlert(long Id, string CameraId, string StationId, CameraAlertKind Kind, DateTimeOffset RaisedAt, DateTimeOffset? ClearedAt);

/// <summary>Server-side filter of the wall; null fields match everything.</summary>
public sealed record CameraFilter(string? RegionId = null, string? ConstituencyId = null, CameraState? State = null, string? Text = null)
{
    public bool Matches(CameraTile t, bool ignoreState = false) =>
        (RegionId is null || t.RegionId == RegionId)
        && (ConstituencyId is null || t.ConstituencyId == ConstituencyId)
        && (ignoreState || State is null || t.State == State)
        && (string.IsNullOrWhiteSpace(Text) || t.CameraId.Contains(Text.Trim(), StringComparison.OrdinalIgnoreCase)
            || t.StationId.Contains(Text.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The whole country's cameras in memory for the ops wall: loaded from the camera grains, kept current by the camera
/// feed (an Orleans observer) and reconciled periodically because observer delivery is best effort. Queries filter
/// on the server and return one page, so a browser never holds 10,000 tiles; <see cref="Changed"/> fires at most
/// every <see cref="NotifyInterval"/> however many cameras change.
/// </summary>
public sealed partial class CameraBoard : BackgroundService, ICameraStateObserver
{
    public static readonly TimeSpan NotifyInterval = TimeSpan.FromMilliseconds(250);
    private const int MaxClearedAlerts = 500;

    private readonly ElectionCatalog _catalog;
    private readonly IGrainFactory _grains;
    private readonly OpsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<CameraBoard> _logger;
    private readonly CameraTile[] _tiles;
    private readonly Dictionary<string, int> _index;
    private readonly ConcurrentDictionary<(string Camera, CameraAlertKind Kind), CameraAlert> _active = new();
    private readonly ConcurrentQueue<CameraAlert> _cleared = new();
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _restarts = new();
    private readonly Lock _alertsLock = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _alertIds;
    private int _dirty;

    public CameraBoard(ElectionCatalog catalog, IGrainFactory grains, IOptions<OpsOptions> options, TimeProvider time, ILogger<CameraBoard> logger)
    {
        (_catalog, _grains, _options, _time, _logger) = (catalog, grains, options.Value, time, logger);
        var firstContest = catalog.Election.Contests.FirstOrDefault()?.Id;
        var tiles = new List<CameraTile>();
        foreach (var station in catalog.Election.Stations)
            foreach (var camera in station.Cameras)
                tiles.Add(new CameraTile(camera.Id, station.Id, station.Number, station.RegionId,
                    firstContest is null ? null : station.Constituencies.GetValueOrDefault(firstContest), camera.Enabled,
                    camera.Enabled ? CameraState.Unknown : CameraState.Disabled, null, 0, 0, null));
        _tiles = [.. tiles];
        _index = new Dictionary<string, int>(_tiles.Length, StringComparer.Ordinal);
        for (var i = 0; i < _tiles.Length; i++) _index[_tiles[i].CameraId] = i;
    }

    /// <summary>Raised (on a thread-pool thread) when tiles or alerts changed; coalesced.</summary>
    public event Action? Changed;

    /// <summary>Completes when every camera's status has been read once.</summary>
    public Task Loaded => _loaded.Task;

    public int Count => _tiles.Length;

    /// <summary>The contest whose constituencies the wall filters by (the first one, the Legislative Chamber).</summary>
    public string? ConstituencyContestId => _catalog.Election.Contests.FirstOrDefault()?.Id;

    public CameraTile? Find(string cameraId) => _index.TryGetValue(cameraId, out var i) ? Volatile.Read(ref _tiles[i]) : null;

    public (IReadOnlyList<CameraTile> Items, int Total) Query(CameraFilter filter, int skip, int take)
    {
        var items = new List<CameraTile>(Math.Min(Math.Max(take, 0), 1024));
        var total = 0;
        // Reference reads are atomic: a query sees each tile either before or after a change, never half of one.
        foreach (var t in _tiles)
        {
            if (!filter.Matches(t)) continue;
            if (total >= skip && items.Count < take) items.Add(t);
            total++;
        }
        return (items, total);
    }

    /// <summary>Cameras per state under the filter's region, constituency and text (not its state).</summary>
    public IReadOnlyDictionary<CameraState, int> Counts(CameraFilter filter)
    {
        var counts = Enum.GetValues<CameraState>().ToDictionary(s => s, _ => 0);
        foreach (var tile in _tiles)
            if (filter.Matches(tile, ignoreState: true)) counts[tile.State]++;
        return counts;
    }

    public IReadOnlyList<CameraAlert> ActiveAlerts(CameraFilter? filter = null) =>
        [.. _active.Values.Where(a => filter is null || (Find(a.CameraId) is { } t && filter.Matches(t, ignoreState: true)))
            .OrderByDescending(a => a.RaisedAt)];

    public IReadOnlyList<CameraAlert> ClearedAlerts(int max = 50) => [.. _cleared.Reverse().Take(max)];

    public IReadOnlyList<CameraAlert> AlertsOf(string cameraId) =>
        [.. _active.Values.Concat(_cleared).Where(a => a.CameraId == cameraId).OrderByDescending(a => a.RaisedAt)];

    void ICameraStateObserver.OnCameraStateChanged(CameraStateChanged change)
    {
        if (!_index.TryGetValue(change.CameraId, out var i)) return;
        // A reconcile may already have brought a newer state; never step back in time.
        Apply(i, old => old.Since is { } since && since > change.At ? null : old with
        {
            State = old.Enabled ? change.State : CameraState.Disabled, Since = change.At, BitrateKbps = change.BitrateKbps,
            Restarts = change.Restarts, LastError = change.LastError,
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var feed = _grains.GetGrain<ICameraFeedGrain>(ICameraFeedGrain.Key);
        ICameraStateObserver? reference = null;
        var renew = ICameraFeedGrain.SubscriptionLifetime / 3;
        var lastSubscribe = DateTimeOffset.MinValue;
        var lastReconcile = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        do
        {
            var now = _time.GetUtcNow();
            try
            {
                if (now - lastSubscribe >= renew)
                {
                    reference ??= _grains.CreateObjectReference<ICameraStateObserver>(this);
                    await feed.SubscribeAsync(reference);
                    lastSubscribe = now;
                }
                if (now - lastReconcile >= _options.WallReconcileInterval)
                {
                    await ReconcileAsync(stoppingToken);
                    lastReconcile = now;
                    _loaded.TrySetResult();
                }
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                LogFeedFailed(e);
            }
            EvaluateTimedAlerts(_time.GetUtcNow());
            if (Interlocked.Exchange(ref _dirty, 0) == 1) Changed?.Invoke();
        }
        while (await WaitAsync(timer, stoppingToken));
        if (reference is not null)
        {
            try { await feed.UnsubscribeAsync(reference); } catch (Exception e) { LogFeedFailed(e); }
            _grains.DeleteObjectReference<ICameraStateObserver>(reference);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken token)
    {
        try { return await timer.WaitForNextTickAsync(token); }
        catch (OperationCanceledException) { return false; }
    }

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, _tiles.Length), new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (i, _) =>
            {
                var tile = Volatile.Read(ref _tiles[i]);
                if (!tile.Enabled) return;
                var status = await _grains.GetGrain<ICameraGrain>(tile.CameraId).GetStatusAsync();
                // Judged against the tile as it is when applied: a feed change may have arrived while the grain answered.
                Apply(i, old => old.Since is { } since && status.Since is { } current && current < since ? null : old with
                {
                    State = status.State, Since = status.Since, BitrateKbps = status.BitrateKbps, Restarts = status.Restarts, LastError = status.LastError,
                });
            });
    }

    /// <summary>
    /// Replaces a tile by what <paramref name="update"/> makes of the current one (null: keep it) and sets its alerts.
    /// One lock for tiles and alerts: the feed, the reconcile and the timed check run on different threads, and an alert
    /// must follow the tile's last state, not the one a slower thread read before it.
    /// </summary>
    private void Apply(int i, Func<CameraTile, CameraTile?> update)
    {
        lock (_alertsLock)
        {
            var old = _tiles[i];
            if (update(old) is not { } tile || tile == old) return;
            Volatile.Write(ref _tiles[i], tile);
            var now = _time.GetUtcNow();
            if (tile.Restarts > old.Restarts) NoteRestarts(tile.CameraId, tile.Restarts - old.Restarts, now);
            SetAlert(tile, CameraAlertKind.Frozen, tile.State == CameraState.Frozen, tile.Since ?? now);
            SetAlert(tile, CameraAlertKind.Black, tile.State == CameraState.Black, tile.Since ?? now);
            if (tile.State != CameraState.Offline) SetAlert(tile, CameraAlertKind.Offline, false, now);
            EvaluateRestartLoop(tile, now);
            Volatile.Write(ref _dirty, 1);
        }
    }

    private void EvaluateTimedAlerts(DateTimeOffset now)
    {
        lock (_alertsLock)
            foreach (var tile in _tiles)
            {
                if (tile.State == CameraState.Offline && tile.Since is { } since && now - since >= _options.OfflineAlertAfter)
                    SetAlert(tile, CameraAlertKind.Offline, true, since + _options.OfflineAlertAfter);
                if (_active.ContainsKey((tile.CameraId, CameraAlertKind.RestartLoop))) EvaluateRestartLoop(tile, now);
            }
    }

    private void NoteRestarts(string cameraId, int count, DateTimeOffset now)
    {
        var queue = _restarts.GetOrAdd(cameraId, _ => new Queue<DateTimeOffset>());
        lock (queue) for (var k = 0; k < Math.Min(count, _options.RestartLoopThreshold); k++) queue.Enqueue(now);
    }

    private void EvaluateRestartLoop(CameraTile tile, DateTimeOffset now)
    {
        var recent = 0;
        if (_restarts.TryGetValue(tile.CameraId, out var queue))
            lock (queue)
            {
                while (queue.TryPeek(out var first) && now - first > _options.RestartLoopWindow) queue.Dequeue();
                recent = queue.Count;
            }
        SetAlert(tile, CameraAlertKind.RestartLoop, recent >= _options.RestartLoopThreshold, now);
    }

    private void SetAlert(CameraTile tile, CameraAlertKind kind, bool raised, DateTimeOffset at)
    {
        var key = (tile.CameraId, kind);
        if (raised)
        {
            if (_active.ContainsKey(key)) return;
            if (_active.TryAdd(key, new CameraAlert(Interlocked.Increment(ref _alertIds), tile.CameraId, tile.StationId, kind, at, null)))
            {
                LogAlertRaised(tile.CameraId, kind);
                Volatile.Write(ref _dirty, 1);
            }
        }
        else if (_active.TryRemove(key, out var alert))
        {
            _cleared.Enqueue(alert with { ClearedAt = _time.GetUtcNow() });
            while (_cleared.Count > MaxClearedAlerts) _cleared.TryDequeue(out _);
            LogAlertCleared(tile.CameraId, kind);
            Volatile.Write(ref _dirty, 1);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The ops camera wall could not reach the camera feed or grains; retrying.")]
    private partial void LogFeedFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Camera alert raised: {CameraId} {AlertKind}.")]
    private partial void LogAlertRaised(string cameraId, CameraAlertKind alertKind);

    [LoggerMessage(Level = LogLevel.Information, Message = "Camera alert cleared: {CameraId} {AlertKind}.")]
    private partial void LogAlertCleared(string cameraId, CameraAlertKind alertKind);
}
