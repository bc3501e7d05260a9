using System.Text;
using System.Threading.Channels;
using FFMpegCore;
using Microsoft.Extensions.Logging;
using Portal.Grains.Abstractions;
using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.StreamGateway.Archive;
using Portal.StreamGateway.Health;
using Portal.StreamGateway.Sources;

namespace Portal.StreamGateway.Supervision;

/// <summary>
/// Supervises one camera: runs its ffmpeg (through FFMpegCore), watches the live playlist for new segments (stall and
/// offline detection, archive index, bitrate) and the thumbnail (black, frozen), restarts with capped backoff, and
/// reports every state change.
/// </summary>
public sealed partial class CameraWorker
{
    /// <summary>The node's supervision tick: a tick that finds the playlist unchanged costs one stat and allocates nothing; the short tick keeps "live again within 5 s" well inside its budget.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan HealthyRun = TimeSpan.FromSeconds(30);

    private readonly CameraDefinition _camera;
    private readonly CameraSourceKind _kind;
    private readonly StationDefinition _station;
    private readonly int? _listenPort;
    private readonly GatewayOptions _options;
    private readonly CameraPaths _paths;
    private readonly SegmentIndex _index;
    private readonly SegmentIndex.Appender _indexAppender;
    private readonly ICameraStateSink _sink;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly PictureHealth _picture;
    private readonly string _dir;
    private readonly string _playlistPath;
    private readonly FileInfo _playlistFile;
    private readonly string _thumbPath;
    private readonly SupervisionTick _tick;
    private readonly StartGate _startGate;
    private readonly FfmpegLauncher _launcher;
    private readonly TimeZoneInfo _timeZone;
    private readonly SegmentThumbnailer? _thumbnailer;
    private CopyCameraPicture? _copyPicture;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private readonly Queue<string> _knownOrder = new();
    private readonly Queue<(long Bytes, double Seconds)> _recent = new();
    private readonly Queue<string> _stderr = new();
    private readonly Lock _stderrLock = new();
    private readonly Channel<CameraHealthReport> _reports = Channel.CreateUnbounded<CameraHealthReport>(new() { SingleReader = true });

    private CameraState _state = CameraState.Unknown;
    private DateTimeOffset _startedAt;
    private DateTimeOffset? _lastSegmentAt;
    private DateTimeOffset? _lastSegmentPdt;
    private DateTimeOffset _runStartedAt;
    private DateTimeOffset _lastReportAt;
    private DateTime _thumbWrittenAt;
    private DateTime _playlistWrittenAt;
    private DateTimeOffset _playlistChangedAt;
    private double _newestSegmentSeconds;
    private long _runId;
    private int _segmentsThisRun;
    private bool _running;
    private bool _copies;
    private double _targetDuration;
    private string? _lastError;
    private string? _reason;

    public CameraWorker(CameraDefinition camera, StationDefinition station, int? listenPort, GatewayOptions options, CameraPaths paths,
        SegmentIndex index, ICameraStateSink sink, ILogger logger, TimeProvider time, StartGate startGate, TimeZoneInfo timeZone, FfmpegLauncher launcher,
        SupervisionTick tick, SegmentThumbnailer? thumbnailer = null)
    {
        _tick = tick;
        _thumbnailer = thumbnailer;
        _launcher = launcher;
        _timeZone = timeZone;
        _startGate = startGate;
        _camera = camera;
        _kind = CameraSourceKinds.Of(camera);
        _station = station;
        _listenPort = listenPort;
        _options = options;
        _paths = paths;
        _index = index;
        _sink = sink;
        _logger = logger;
        _time = time;
        _picture = new PictureHealth(options);
        _dir = paths.CameraDir(camera.Id);
        _playlistPath = Path.Combine(_dir, CameraPaths.LivePlaylist);
        _playlistFile = new FileInfo(_playlistPath);
        // Opens the day file at its first append; closed when the worker stops.
        _indexAppender = index.OpenAppender(camera.Id);
        _thumbPath = Path.Combine(_dir, CameraPaths.Thumbnail);
        _targetDuration = options.SegmentSeconds;
    }

    public string CameraId => _camera.Id;

    /// <summary>The demo ballot-box scene: the drops after a run's start, in seconds after it (null: not a ballot-box demo camera).</summary>
    public Func<DateTimeOffset, IReadOnlyList<double>>? BallotDrops { get; init; }

    /// <summary>The election clock a generated picture burns in when it is accelerated (the demo day); null: the real clock.</summary>
    public ElectionClock? Clock { get; init; }

    public CameraState State => _state;

    public int Restarts { get; private set; }

    public RtspTransport Transport { get; private set; } = RtspTransport.Tcp;

    public bool InRestartLoop { get; private set; }

    public double BitrateKbps
    {
        get
        {
            var (bytes, seconds) = _recent.Aggregate((0L, 0.0), (a, s) => (a.Item1 + s.Bytes, a.Item2 + s.Seconds));
            return seconds > 0 ? bytes * 8 / 1000.0 / seconds : 0;
        }
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        Directory.CreateDirectory(_dir);
        foreach (var name in _index.RecentNames(_camera.Id, _time.GetUtcNow())) Remember(name);
        _startedAt = _time.GetUtcNow();
        var failures = 0;
        var pump = Task.Run(() => PumpReportsAsync(stopping), CancellationToken.None);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var (reason, setupRefused, reasonCode) = await RunOnceAsync(stopping);
                if (stopping.IsCancellationRequested) break;

                // Debian's rtsp-server-perl (and some cameras) refuse TCP-interleaved SETUP: fall back to UDP at once.
                if (setupRefused && Transport == RtspTransport.Tcp && _kind.FallsBackToUdp)
                {
                    Transport = RtspTransport.Udp;
                    LogTransportFallback(_logger, _camera.Id);
                    continue;
                }

                failures = _segmentsThisRun > 0 && _time.GetUtcNow() - _runStartedAt > HealthyRun ? 1 : failures + 1;
                Restarts++;
                _lastError = reason;
                if (_state is CameraState.Live or CameraState.Frozen or CameraState.Black) await SetStateAsync(CameraState.Stalled, reasonCode, stopping);

                TimeSpan delay;
                if (failures >= _options.RestartLoopThreshold)
                {
                    // Reported, not hammered: a camera that keeps failing is retried at a slow, fixed pace.
                    if (!InRestartLoop) LogRestartLoop(_logger, _camera.Id, failures);
                    InRestartLoop = true;
                    _lastError = $"restart loop ({failures} failed starts): {reason}";
                    delay = Backoff.Delay(1, _options.RestartLoopBackoff, _options.RestartLoopBackoff);
                }
                else delay = Backoff.Delay(failures, _options.RestartBackoffInitial, _options.RestartBackoffMax);
                LogRestart(_logger, _camera.Id, reason, delay.TotalSeconds);
                await ReportAsync(stopping);

                var until = _time.GetUtcNow() + delay;
                while (_time.GetUtcNow() < until && !stopping.IsCancellationRequested)
                {
                    await _tick.Next;
                    stopping.ThrowIfCancellationRequested();
                    await EvaluateAsync(stopping);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            _thumbnailer?.Forget(_dir);
            _indexAppender.Dispose();
            _reports.Writer.TryComplete();
            await pump;
        }
    }

    private async Task<(string Reason, bool SetupRefused, string ReasonCode)> RunOnceAsync(CancellationToken stopping)
    {
        await _startGate.WaitAsync(stopping);
        _runId = Math.Max(_time.GetUtcNow().ToUnixTimeMilliseconds(), _runId + 1);
        var command = FfmpegCommandBuilder.Build(new(_camera, _station.Number, _dir, _runId, Transport, _listenPort, _options, _timeZone,
            BallotDrops?.Invoke(DateTimeOffset.FromUnixTimeMilliseconds(_runId)), Clock));
        if (command.FilterScript is not null) await File.WriteAllTextAsync(Path.Combine(_dir, FfmpegCommandBuilder.FilterScriptName), command.FilterScript, stopping);
        _copies = !command.Transcodes;
        lock (_stderrLock) _stderr.Clear();
        _picture.Reset();
        // A copy camera's picture health comes from its segments, sampled by the node's thumbnailer.
        if (_copies && _thumbnailer is not null) (_copyPicture ??= _thumbnailer.Register(_dir)).Reset();
        else if (_copyPicture is not null)
        {
            _thumbnailer?.Forget(_dir);
            _copyPicture = null;
        }
        _segmentsThisRun = 0;
        _running = true;
        _runStartedAt = _time.GetUtcNow();
        if (_state is CameraState.Unknown or CameraState.Live or CameraState.Frozen or CameraState.Black or CameraState.Stalled)
            await SetStateAsync(CameraState.Starting, null, stopping);
        LogStarting(_logger, _camera.Id, _runId, command.ToString());

        using var run = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var ffmpeg = FFMpegArguments
            .FromFileInput(command.Input, false, o => o.WithCustomArgument(command.InputArguments))
            .OutputToFile(command.OutputFile, true, o => o.WithCustomArgument(command.OutputArguments))
            .NotifyOnStandardError(OnStderr)
            .CancellableThrough(run.Token, TimeSpan.FromSeconds(1.5));
        var exited = _launcher.StartAsync(() => ffmpeg.ProcessAsynchronously(false, _launcher.FFOptions));

        string? killReason = null;
        var reasonCode = CameraStateReasons.ProcessExited;
        try
        {
            while (!exited.IsCompleted)
            {
                // An exit is seen at the next tick (at most 250 ms later), like a stall.
                await _tick.Next;
                if (stopping.IsCancellationRequested) break;
                var now = _time.GetUtcNow();
                ScanOutput(now);
                var stallAfter = TimeSpan.FromSeconds(_options.SegmentStallSeconds(_targetDuration));
                if (_segmentsThisRun == 0 && !_kind.ListensOnPort && now - _runStartedAt > _options.StartTimeout)
                {
                    killReason = $"no segment within {_options.StartTimeout.TotalSeconds:0} s of start";
                    reasonCode = CameraStateReasons.NoSegment;
                }
                else if (_segmentsThisRun > 0 && now - _lastSegmentAt > stallAfter)
                {
                    killReason = $"no new segment for {stallAfter.TotalSeconds:0.#} s";
                    reasonCode = CameraStateReasons.NoNewSegment;
                    // Known before the process is stopped: a report sent on this tick (stalled, or offline when the stall
                    // window reaches OfflineAfter, as with a 2 s target duration) already says why.
                    _lastError = killReason;
                    await SetStateAsync(CameraState.Stalled, reasonCode, stopping);
                }
                await EvaluateAsync(stopping);
                if (killReason is not null) break;
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            _running = false;
            await run.CancelAsync();
            try
            {
                await exited;
            }
            catch (Exception ex) when (ex is OperationCanceledException or FFMpegCore.Exceptions.FFMpegException)
            {
            }
        }
        // The segment ffmpeg flushes as it quits goes to the archive but proves nothing about the source.
        ScanOutput(_time.GetUtcNow(), final: true);
        string[] lines;
        lock (_stderrLock) lines = [.. _stderr];
        // ffmpeg 5.1 at -loglevel error reports a refused interleaved SETUP only as "Server returned 400 Bad Request" (461 from some cameras).
        var setupRefused = _segmentsThisRun == 0 && lines.Any(l => l.Contains("400 Bad Request", StringComparison.OrdinalIgnoreCase)
                                          || l.Contains("461", StringComparison.Ordinal) || l.Contains("Unsupported transport", StringComparison.OrdinalIgnoreCase));
        var reason = killReason is null
            ? lines.Length > 0 ? $"ffmpeg exited: {lines[^1]}" : "ffmpeg exited"
            : lines.Length > 0 ? $"{killReason} (ffmpeg: {lines[^1]})" : killReason;
        return (_kind.Redact(reason, _camera.Source), setupRefused, reasonCode);
    }

    private void OnStderr(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return;
        lock (_stderrLock)
        {
            _stderr.Enqueue(_kind.Redact(line.Trim(), _camera.Source));
            while (_stderr.Count > 20) _stderr.Dequeue();
        }
    }

    /// <summary>New segments (index, bitrate, liveness) and a new thumbnail (picture health).</summary>
    private void ScanOutput(DateTimeOffset now, bool final = false)
    {
        // ffmpeg replaces the playlist (temp file + rename) once a segment: read and parse it only when it changed, and
        // look (one stat of a path known in full) only once the next segment can be there: three of four ticks of a
        // flowing camera find nothing, and a camera with no new segment is looked at on every tick as before.
        if (final || _segmentsThisRun == 0 || now - _playlistChangedAt >= TimeSpan.FromSeconds(_newestSegmentSeconds * 0.75))
        {
            _playlistFile.Refresh();
            var playlistWrittenAt = _playlistFile.LastWriteTimeUtc;
            if (playlistWrittenAt != _playlistWrittenAt || final)
            {
                _playlistWrittenAt = playlistWrittenAt;
                _playlistChangedAt = now;
                ScanPlaylist(_playlistPath, now, final);
            }
        }

        // A transcoded camera's own ffmpeg writes its thumbnail; a copy camera's is sampled by the thumbnailer (no stat here).
        if (_copyPicture is not null) return;
        var thumbWrittenAt = File.GetLastWriteTimeUtc(_thumbPath);
        if (thumbWrittenAt != _thumbWrittenAt && thumbWrittenAt >= _runStartedAt.UtcDateTime.AddSeconds(-1))
        {
            _thumbWrittenAt = thumbWrittenAt;
            try
            {
                if (PictureSample.FromJpeg(File.ReadAllBytes(_thumbPath)) is { } sample) _picture.Observe(sample, now);
            }
            catch (IOException)
            {
            }
        }
    }

    private void ScanPlaylist(string playlistPath, DateTimeOffset now, bool final)
    {
        string text;
        try
        {
            using var stream = new FileStream(playlistPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            text = reader.ReadToEnd();
        }
        catch (IOException)
        {
            return;
        }
        var playlist = HlsPlaylist.Parse(text);
        if (playlist.TargetDuration > 0) _targetDuration = playlist.TargetDuration;
        var fresh = new List<ArchivedSegment>();
        ArchivedSegment? newestOfRun = null;
        foreach (var segment in playlist.Segments)
        {
            if (_known.Contains(segment.Name) || !CameraPaths.IsSegmentName(segment.Name)) continue;
            var archived = SegmentIndex.FromLive(segment, _dir);
            fresh.Add(archived);
            Remember(segment.Name);
            // Only this run's segments prove this process is alive (append_list keeps the previous run's entries).
            if (final || CameraPaths.RunIdOf(segment.Name) != _runId) continue;
            _segmentsThisRun++;
            newestOfRun = archived;
            _lastSegmentAt = now;
            _lastSegmentPdt = archived.End;
            _newestSegmentSeconds = archived.Duration;
            _recent.Enqueue((archived.Bytes, archived.Duration));
            while (_recent.Count > 10) _recent.Dequeue();
        }
        if (fresh.Count > 0) _indexAppender.Append(fresh);
        // A copy camera's thumbnail is the first keyframe of its newest segment, decoded by the node's thumbnailer.
        if (newestOfRun is not null) _copyPicture?.Offer(Path.Combine(_dir, newestOfRun.Name), newestOfRun.Bytes, newestOfRun.Duration, now);
    }

    private void Remember(string name)
    {
        if (!_known.Add(name)) return;
        _knownOrder.Enqueue(name);
        while (_knownOrder.Count > 256) _known.Remove(_knownOrder.Dequeue());
    }

    private async Task EvaluateAsync(CancellationToken stopping)
    {
        var now = _time.GetUtcNow();
        var stallAfter = TimeSpan.FromSeconds(_options.SegmentStallSeconds(_targetDuration));
        var flowing = _running && _segmentsThisRun > 0 && now - _lastSegmentAt <= stallAfter;
        var next = _state;
        var reason = _reason;
        if (flowing)
        {
            var (black, frozen) = _copyPicture is { } copy ? (copy.IsBlack, copy.IsFrozen) : (_picture.IsBlack, _picture.IsFrozen);
            (next, reason) = black ? (CameraState.Black, CameraStateReasons.PictureBlack)
                : frozen ? (CameraState.Frozen, CameraStateReasons.PictureFrozen)
                : (CameraState.Live, CameraStateReasons.SegmentsArrive);
            InRestartLoop = false;
        }
        else if (now - (_lastSegmentAt ?? _startedAt) > _options.OfflineAfter)
        {
            next = CameraState.Offline;
            reason = InRestartLoop ? CameraStateReasons.RestartLoop : CameraStateReasons.NoSegment;
            // Offline always says why, also when it is decided before the process has been stopped.
            if (next != _state) _lastError ??= $"no segment for {_options.OfflineAfter.TotalSeconds:0} s";
        }
        if (next != _state) await SetStateAsync(next, reason, stopping);
        else if (now - _lastReportAt >= _options.ReportInterval) await ReportAsync(stopping);
    }

    /// <param name="reason">One of <see cref="CameraStateReasons"/>: what the public record says (never ffmpeg's text).</param>
    private async Task SetStateAsync(CameraState state, string? reason, CancellationToken stopping)
    {
        if (state == _state) return;
        LogState(_logger, _camera.Id, _state, state);
        _state = state;
        _reason = reason;
        if (state == CameraState.Live) _lastError = null;
        await ReportAsync(stopping);
    }

    private Task ReportAsync(CancellationToken stopping)
    {
        var now = _time.GetUtcNow();
        _lastReportAt = now;
        _reports.Writer.TryWrite(new CameraHealthReport(_state, now, Math.Round(BitrateKbps, 1), Restarts, _lastError, _lastSegmentPdt, _options.NodeName, _reason));
        return Task.CompletedTask;
    }

    /// <summary>Sends reports in order, off the supervision loop: a slow cluster must not delay stall detection or restarts.</summary>
    private async Task PumpReportsAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var report in _reports.Reader.ReadAllAsync(stopping))
            {
                // Bitrate ticks may be dropped when reports queue up; state changes never are.
                if (_reports.Reader.TryPeek(out var next) && next.State == report.State) continue;
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    timeout.CancelAfter(TimeSpan.FromSeconds(10));
                    await _sink.ReportAsync(_camera.Id, report, timeout.Token);
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    // Reporting is best effort: the camera keeps streaming while the cluster is unreachable.
                    LogReportFailed(_logger, _camera.Id, ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(LogLevel.Information, "Camera {CameraId} ffmpeg run {RunId} starting: {Command}")]
    private static partial void LogStarting(ILogger logger, string cameraId, long runId, string command);

    [LoggerMessage(LogLevel.Information, "Camera {CameraId} state {Previous} -> {State}")]
    private static partial void LogState(ILogger logger, string cameraId, CameraState previous, CameraState state);

    [LoggerMessage(LogLevel.Warning, "Camera {CameraId} restarting after {Reason}; next attempt in {DelaySeconds:0.0} s")]
    private static partial void LogRestart(ILogger logger, string cameraId, string reason, double delaySeconds);

    [LoggerMessage(LogLevel.Warning, "Camera {CameraId} is in a restart loop ({Failures} failed starts): retrying slowly")]
    private static partial void LogRestartLoop(ILogger logger, string cameraId, int failures);

    [LoggerMessage(LogLevel.Information, "Camera {CameraId} source refused RTSP over TCP: falling back to UDP")]
    private static partial void LogTransportFallback(ILogger logger, string cameraId);

    [LoggerMessage(LogLevel.Warning, "Camera {CameraId} state report failed: {Error}")]
    private static partial void LogReportFailed(ILogger logger, string cameraId, string error);
}
