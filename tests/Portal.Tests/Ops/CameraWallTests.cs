using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Portal.Grains.Abstractions;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.Ops;

namespace Portal.Tests.Ops;

public sealed class CameraWallTests(OpsHostFactory factory) : IClassFixture<OpsHostFactory>
{
    [Fact]
    public async Task CameraReportsReachTheWallAndRaiseAndClearAlerts()
    {
        _ = factory.Server;
        var board = factory.Services.GetRequiredService<CameraBoard>();
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        await board.Loaded.WaitAsync(TimeSpan.FromSeconds(60));
        // The third station with its cameras on (the demo spreads them over the regions).
        var camera = factory.Election.Stations.Where(s => s.Cameras[0].Enabled).Skip(2).First().Cameras[0].Id;
        var grain = grains.GetGrain<ICameraGrain>(camera);

        await grain.ReportAsync(new CameraHealthReport(CameraState.Live, DateTimeOffset.UtcNow, 1000, 0, null, DateTimeOffset.UtcNow, "n1"));
        await Wait.UntilAsync(() => board.Find(camera)!.State == CameraState.Live, "live on the wall");
        await grain.ReportAsync(new CameraHealthReport(CameraState.Frozen, DateTimeOffset.UtcNow, 1000, 0, null, DateTimeOffset.UtcNow, "n1"));
        await Wait.UntilAsync(() => board.ActiveAlerts().Any(a => a.CameraId == camera && a.Kind == CameraAlertKind.Frozen), "frozen alert raised");
        Assert.Equal(1, board.Query(new CameraFilter(State: CameraState.Frozen, Text: camera), 0, 10).Total);

        await grain.ReportAsync(new CameraHealthReport(CameraState.Live, DateTimeOffset.UtcNow, 1000, 0, null, DateTimeOffset.UtcNow, "n1"));
        // Cleared = gone from the active alerts and in the cleared list (the board removes, then records: wait for both).
        await Wait.UntilAsync(() => !board.ActiveAlerts().Any(a => a.CameraId == camera)
            && board.AlertsOf(camera).Any(a => a.Kind == CameraAlertKind.Frozen && a.ClearedAt is not null), "frozen alert cleared");

        // The operator's wall and camera detail show it (prerendered HTML of the interactive pages).
        var client = await factory.LoggedInAsync(OpsRoles.Operator);
        var wall = await client.GetStringAsync("/ops");
        Assert.Contains("data-state=\"Live\"", wall);
        Assert.Contains($"{board.Count} cameras", wall);
        var detail = await client.GetStringAsync($"/ops/cameras/{camera}");
        Assert.Contains("Frozen", detail);
        Assert.DoesNotContain("rtsp://", detail);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/ops/cameras/no-such-camera")).StatusCode);
    }

    [Fact]
    public void TenThousandCamerasFilterAndPageOnTheServer()
    {
        var election = DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = 5000, ActiveCameraStations = 5000, Seed = 3 });
        var catalog = new ElectionCatalog(election, []);
        var board = new CameraBoard(catalog, null!, Options.Create(new OpsOptions()), TimeProvider.System, NullLogger<CameraBoard>.Instance);
        Assert.Equal(10_000, board.Count);

        var observer = (ICameraStateObserver)board;
        var now = DateTimeOffset.UtcNow;
        var cameras = election.Stations.SelectMany(s => s.Cameras.Select(c => (Camera: c, Station: s))).ToList();
        for (var i = 0; i < cameras.Count; i++)
        {
            var state = i % 10 == 0 ? CameraState.Offline : i % 25 == 0 ? CameraState.Black : CameraState.Live;
            observer.OnCameraStateChanged(new CameraStateChanged(cameras[i].Camera.Id, cameras[i].Station.Id, state, CameraState.Unknown, now, 900, 0, null));
        }
        var all = board.Counts(new CameraFilter());
        Assert.Equal(10_000, all.Values.Sum());
        Assert.Equal(1000, all[CameraState.Offline]);
        Assert.Equal(cameras.Count(c => c.Camera.Id.Length > 0) - 1000 - all[CameraState.Black], all[CameraState.Live]);

        var region = election.Regions[3].Id;
        var inRegion = cameras.Count(c => c.Station.RegionId == region);
        var (page, total) = board.Query(new CameraFilter(RegionId: region), 12, 24);
        Assert.Equal(inRegion, total);
        Assert.Equal(Math.Min(24, Math.Max(0, inRegion - 12)), page.Count);
        Assert.All(page, t => Assert.Equal(region, t.RegionId));

        var offlineInRegion = board.Query(new CameraFilter(RegionId: region, State: CameraState.Offline), 0, 10_000);
        Assert.Equal(board.Counts(new CameraFilter(RegionId: region))[CameraState.Offline], offlineInRegion.Total);
        Assert.All(offlineInRegion.Items, t => Assert.Equal(CameraState.Offline, t.State));

        // An older change arriving late never steps a camera back.
        observer.OnCameraStateChanged(new CameraStateChanged(cameras[1].Camera.Id, cameras[1].Station.Id, CameraState.Offline, CameraState.Live, now.AddMinutes(-1), 0, 0, null));
        Assert.Equal(CameraState.Live, board.Find(cameras[1].Camera.Id)!.State);
        Assert.Contains(board.ActiveAlerts(), a => a.Kind == CameraAlertKind.Black);
    }
}
