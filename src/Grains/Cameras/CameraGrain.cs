using Orleans.Runtime;
using Portal.Grains.Abstractions;
using Portal.Grains.Ledger;
using Portal.Grains.Model;

namespace Portal.Grains.Cameras;

public sealed class CameraGrain(
    ElectionCatalog catalog,
    ElectionClock clock,
    ILedgerStore ledger,
    [PersistentState("camera", GrainStorageNames.Default)] IPersistentState<CameraGrainState> state) : Grain, ICameraGrain
{
    /// <summary>Enough for a day of flapping to stay visible on the ops wall without growing without bound.</summary>
    public const int MaxHistory = 200;

    private readonly CameraStateLedgerWriter _record = new(ledger, TimeProvider.System);

    // The camera's last state in the public record (read from the ledger at activation): an entry is appended only when
    // the recorded state changes, and names this one as its previous.
    private CameraState? _recorded;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // An unknown camera fails on its first call (as before), not here.
        if (catalog.FindCamera(this.GetPrimaryKeyString()) is not ({ } camera, { } station)) return;
        foreach (var entry in await ledger.ReadStationsAsync([station.Id], cancellationToken))
        {
            if (entry.Kind != LedgerKinds.CameraState) continue;
            var record = CameraStatePayload.Parse(entry.Payload);
            if (record.CameraId == camera.Id) _recorded = record.State;
        }
    }

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
        var (camera, station) = Definition();
        var s = state.State;
        var changed = s.State != report.State;
        var previous = s.State;
        // The public record first: if the append fails the report fails and nothing changes here, so the gateway's next
        // report (at most ReportInterval later) appends it again.
        if (changed && CameraStatePayload.IsRecorded(report.State) && report.State != _recorded
            && CameraStateLedgerWriter.IsElectionDay(catalog, clock.ElectionTimeOf(report.At)))
        {
            await _record.AppendAsync(station.Id, new CameraStateRecord(camera.Id, report.State, _recorded, report.At,
                CameraStateReasons.Of(report.State, report.Reason)));
            _recorded = report.State;
        }
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
        await GrainFactory.GetGrain<ICameraFeedGrain>(ICameraFeedGrain.Key).PublishAsync(new CameraStateChanged(
            camera.Id, station.Id, report.State, previous, report.At, report.BitrateKbps, report.Restarts, report.LastError));
    }

    private (CameraDefinition Camera, StationDefinition Station) Definition() =>
        catalog.FindCamera(this.GetPrimaryKeyString()) ?? throw new KeyNotFoundException($"unknown camera \"{this.GetPrimaryKeyString()}\"");
}
