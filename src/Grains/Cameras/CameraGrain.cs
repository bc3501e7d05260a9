using Orleans.Runtime;
using Portal.Grains.Abstractions;
using Portal.Grains.Model;

namespace Portal.Grains.Cameras;

public sealed class CameraGrain(
    ElectionCatalog catalog,
    [PersistentState("camera", GrainStorageNames.Default)] IPersistentState<CameraGrainState> state) : Grain, ICameraGrain
{
    /// <summary>Enough for a day of flapping to stay visible on the ops wall without growing without bound.</summary>
    public const int MaxHistory = 200;

    public Task<CameraStatus> GetStatusAsync()
    {
        var (camera, station) = Definition();
        var s = state.State;
        var current = camera.Enabled ? s.State : CameraState.Disabled;
        return Task.FromResult(new CameraStatus(camera.Id, station.Id, camera.Enabled, current, s.Since, s.BitrateKbps,
            s.Restarts, s.LastError, s.LastSegmentAt, [.. s.History]));
    }

    public async Task ReportAsync(CameraHealthReport report)
    {
        Definition();
        var s = state.State;
        var changed = s.State != report.State;
        var previous = s.State;
        if (changed)
        {
            s.History.Add(new CameraStateChange(report.State, report.At, report.LastError));
            if (s.History.Count > MaxHistory) s.History.RemoveRange(0, s.History.Count - MaxHistory);
            s.State = report.State;
            s.Since = report.At;
        }
        s.BitrateKbps = report.BitrateKbps;
        s.Restarts = report.Restarts;
        s.LastError = report.LastError;
        s.LastSegmentAt = report.LastSegmentAt;
        // Only state changes are worth a storage write; bitrate ticks stay in memory.
        if (!changed) return;
        await state.WriteStateAsync();
        var (camera, station) = Definition();
        await GrainFactory.GetGrain<ICameraFeedGrain>(ICameraFeedGrain.Key).PublishAsync(new CameraStateChanged(
            camera.Id, station.Id, report.State, previous, report.At, report.BitrateKbps, report.Restarts, report.LastError));
    }

    private (CameraDefinition Camera, StationDefinition Station) Definition() =>
        catalog.FindCamera(this.GetPrimaryKeyString()) ?? throw new KeyNotFoundException($"unknown camera \"{this.GetPrimaryKeyString()}\"");
}
