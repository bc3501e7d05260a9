using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Grains.Abstractions;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.Ops;

// The ops camera wall's server-side work for N cameras (default 10,000): what one wall refresh costs (counts, one page
// of tiles, active alerts) under typical filters, and how fast state changes are applied. Prints figures; no asserts.
var cameras = args.Length > 0 ? int.Parse(args[0]) : 10_000;
var election = DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = cameras / 2, ActiveCameraStations = cameras / 2, Seed = 1 });
var board = new CameraBoard(new ElectionCatalog(election, []), null!, Options.Create(new OpsOptions()), TimeProvider.System, NullLogger<CameraBoard>.Instance);
var observer = (ICameraStateObserver)board;
var all = election.Stations.SelectMany(s => s.Cameras.Select(c => (c.Id, Station: s.Id))).ToArray();
var states = new[] { CameraState.Live, CameraState.Live, CameraState.Live, CameraState.Offline, CameraState.Frozen, CameraState.Stalled };
var at = DateTimeOffset.UtcNow;

var sw = Stopwatch.StartNew();
var changes = 0;
for (var round = 0; round < 10; round++)
    for (var i = 0; i < all.Length; i++, changes++)
        observer.OnCameraStateChanged(new CameraStateChanged(all[i].Id, all[i].Station, states[(i + round) % states.Length], CameraState.Unknown, at.AddMilliseconds(changes), 900, round, null));
Console.WriteLine($"cameras: {board.Count}");
Console.WriteLine($"state changes applied: {changes / sw.Elapsed.TotalSeconds:N0}/s ({sw.Elapsed.TotalMilliseconds * 1000 / changes:F2} µs each, alerts included)");

var filters = new (string Name, CameraFilter Filter)[]
{
    ("no filter", new CameraFilter()),
    ("region", new CameraFilter(RegionId: election.Regions[5].Id)),
    ("state offline", new CameraFilter(State: CameraState.Offline)),
    ("region + state", new CameraFilter(RegionId: election.Regions[5].Id, State: CameraState.Frozen)),
    ("text", new CameraFilter(Text: "1-02")),
};
foreach (var (name, filter) in filters)
{
    const int runs = 300;
    var times = new double[runs];
    for (var r = 0; r < runs; r++)
    {
        var t = Stopwatch.GetTimestamp();
        // One wall refresh: the counts bar, the total, a visible page of rows (6 x 10 tiles), the alert list.
        board.Counts(filter);
        board.Query(filter, r % 50 * 6, 60);
        board.ActiveAlerts(filter);
        times[r] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
    }
    Array.Sort(times);
    Console.WriteLine($"wall refresh, {name,-15}: p50 {times[runs / 2]:F2} ms, p95 {times[runs * 95 / 100]:F2} ms, p99 {times[runs * 99 / 100]:F2} ms");
}
