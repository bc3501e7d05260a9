using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Grains.Counting;
using Portal.Grains.Model;
using Portal.StreamGateway.Archive;
using Portal.StreamGateway.Health;
using Portal.StreamGateway.Placement;
using Portal.StreamGateway.Sources;

namespace Portal.StreamGateway.Supervision;

/// <summary>Runs one <see cref="CameraWorker"/> per enabled camera this node owns, and moves cameras as ownership changes.</summary>
public sealed partial class CameraSupervisor(
    ElectionCatalog catalog,
    ICameraOwnership ownership,
    ICameraStateSink sink,
    CameraPaths paths,
    SegmentIndex index,
    IOptions<GatewayOptions> options,
    ILoggerFactory loggers,
    TimeProvider time,
    FfmpegLauncher launcher,
    SegmentThumbnailer thumbnailer,
    CountingPlan? counting = null,
    ElectionClock? clock = null) : BackgroundService
{
    private readonly ConcurrentDictionary<string, (CameraWorker Worker, CancellationTokenSource Stop, Task Run)> _workers = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger<CameraSupervisor>();
    private readonly StartGate _startGate = new(time, options.Value.MaxStartsPerSecond);
    private readonly SupervisionTick _tick = new(time, CameraWorker.Tick);

    /// <summary>The cameras this node supervises now.</summary>
    public IReadOnlyDictionary<string, CameraWorker> Workers => _workers.ToDictionary(w => w.Key, w => w.Value.Worker);

    /// <summary>
    /// The push port of each camera whose source kind listens (<see cref="CameraSourceKind.ListensOnPort"/>): those cameras,
    /// sorted by id, take the ports of the range in order, the same on every node.
    /// </summary>
    public static IReadOnlyDictionary<string, int> ListenPorts(ElectionCatalog catalog, GatewayOptions options) =>
        catalog.Cameras.Where(ListensOnPort).Select(c => c.Id).Order(StringComparer.Ordinal)
            .Take(options.ListenPortCount).Select((id, i) => (id, port: options.ListenPortStart + i))
            .ToDictionary(x => x.id, x => x.port, StringComparer.Ordinal);

    private static bool ListensOnPort(CameraDefinition camera) => CameraSourceKinds.Find(camera.Source)?.ListensOnPort == true;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        Directory.CreateDirectory(paths.Root);
        var cameras = catalog.Cameras.Where(c => c.Enabled && CameraPaths.IsSafeCameraId(c.Id)).Select(c => c.Id).Order(StringComparer.Ordinal).ToList();
        var listenPorts = ListenPorts(catalog, o);
        foreach (var skipped in catalog.Cameras.Where(c => c.Enabled && ListensOnPort(c) && !listenPorts.ContainsKey(c.Id)))
            LogNoListenPort(_logger, skipped.Id);
        cameras.RemoveAll(id => ListensOnPort(catalog.FindCamera(id)!.Value.Camera) && !listenPorts.ContainsKey(id));
        LogStarting(_logger, cameras.Count, o.NodeName ?? "");

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var owned = await ownership.RefreshAsync(cameras, stoppingToken);
                    foreach (var id in owned.Where(id => !_workers.ContainsKey(id))) Start(id, listenPorts.TryGetValue(id, out var port) ? port : null);
                    foreach (var id in _workers.Keys.Where(id => !owned.Contains(id)).ToList()) await StopAsync(id);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogOwnershipFailed(_logger, ex.GetType().Name, ex.Message);
                }
                await Task.Delay(o.LeaseRenewInterval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(_workers.Keys.ToList().Select(StopAsync));
            _tick.Dispose();
            try
            {
                using var release = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                await ownership.ReleaseAllAsync(release.Token);
            }
            catch (Exception ex)
            {
                LogOwnershipFailed(_logger, ex.GetType().Name, ex.Message);
            }
        }
    }

    private void Start(string cameraId, int? listenPort)
    {
        var (camera, station) = catalog.FindCamera(cameraId)!.Value;
        var worker = new CameraWorker(camera, station, listenPort, options.Value, paths, index, sink, loggers.CreateLogger<CameraWorker>(), time, _startGate, catalog.TimeZone, launcher, _tick, thumbnailer)
        {
            // The demo's ballot-box camera draws the drops the counting plan's scene holds (docs/counting.md).
            BallotDrops = counting is not null && camera.Source == CameraSources.Demo && camera.SeesBallotBox
                ? start => counting.Scene.DropSecondsAfter(camera.Id, start, counting.Clock.RealTimeOf)
                : null,
            // The demo picture's clock shows the pages' election time (docs/video.md "One clock in the demo").
            Clock = clock,
        };
        var stop = new CancellationTokenSource();
        var run = Task.Run(() => worker.RunAsync(stop.Token));
        _workers[cameraId] = (worker, stop, run);
    }

    private async Task StopAsync(string cameraId)
    {
        if (!_workers.TryRemove(cameraId, out var w)) return;
        await w.Stop.CancelAsync();
        try
        {
            await w.Run;
        }
        catch (Exception ex)
        {
            LogWorkerFailed(_logger, cameraId, ex.GetType().Name);
        }
        w.Stop.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "Stream gateway node {NodeName} supervising up to {Count} enabled cameras")]
    private static partial void LogStarting(ILogger logger, int count, string nodeName);

    [LoggerMessage(LogLevel.Warning, "Camera {CameraId} has source listen but the listen port range is exhausted; not supervised")]
    private static partial void LogNoListenPort(ILogger logger, string cameraId);

    [LoggerMessage(LogLevel.Warning, "Camera ownership refresh failed: {Error} {Message}")]
    private static partial void LogOwnershipFailed(ILogger logger, string error, string message);

    [LoggerMessage(LogLevel.Error, "Camera {CameraId} worker failed: {Error}")]
    private static partial void LogWorkerFailed(ILogger logger, string cameraId, string error);
}
