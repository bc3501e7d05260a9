using Portal.Grains.Abstractions;

namespace Portal.Grains.Tests;

[Collection(DefinitionClusterCollection.Name)]
public sealed class DefinitionGrainsTests(DefinitionClusterFixture fixture)
{
    private string ElectionId => fixture.Catalog.Election.Id;

    [Fact]
    public async Task ElectionGrainReportsContestsRegionsAndCounts()
    {
        var summary = await fixture.Grains.GetGrain<IElectionGrain>(ElectionId).GetSummaryAsync();
        Assert.Equal(fixture.Catalog.Election.Name["en"], summary.Name["en"]);
        Assert.Equal(14, summary.Regions.Count);
        Assert.Equal(300, summary.StationCount);
        Assert.Equal(300, summary.Regions.Sum(r => r.StationCount));
        Assert.Equal(150, summary.Contests.Single(c => c.Id == "legislative").ConstituencyCount);
        Assert.Equal(fixture.Catalog.Stations.Sum(s => (long)s.VotersOnList), summary.VotersOnList);
    }

    [Fact]
    public async Task ConstituencyGrainListsItsCandidatesAndStations()
    {
        var definition = fixture.Catalog.Election.Contests[0].Constituencies[0];
        var key = GrainKeys.Constituency(ElectionId, "legislative", definition.Id);
        var info = await fixture.Grains.GetGrain<IConstituencyGrain>(key).GetInfoAsync();
        Assert.Equal(definition.Candidates.Select(c => c.Name), info.Candidates.Select(c => c.Name));
        Assert.Equal(definition.RegionId, info.RegionId);
        Assert.Equal(fixture.Catalog.Stations.Where(s => s.Constituencies["legislative"] == definition.Id).Select(s => s.Id).Order(), info.StationIds.Order());
    }

    [Fact]
    public async Task StationGrainReadsItsDefinitionButNeverACameraSource()
    {
        var station = fixture.Catalog.Stations.First(s => s.Number == 1);
        var info = await fixture.Grains.GetGrain<IPollingStationGrain>(GrainKeys.Station(ElectionId, station.Id)).GetInfoAsync();
        Assert.Equal(station.Address, info.Address);
        Assert.Equal(station.VotersOnList, info.VotersOnList);
        Assert.Equal(station.Cameras.Select(c => c.Id), info.Cameras.Select(c => c.Id));
        Assert.DoesNotContain("demo", System.Text.Json.JsonSerializer.Serialize(info));
    }

    [Fact]
    public async Task UnknownKeysAreRefused()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => fixture.Grains.GetGrain<IPollingStationGrain>(GrainKeys.Station(ElectionId, "no-such")).GetInfoAsync());
        await Assert.ThrowsAsync<KeyNotFoundException>(() => fixture.Grains.GetGrain<IElectionGrain>("other-election").GetSummaryAsync());
    }

    [Fact]
    public async Task CameraGrainKeepsTheHistoryOfStateChanges()
    {
        // An enabled camera other than station 1's (the demo spreads them over the regions: the second region's first station).
        var camera = fixture.Catalog.Stations.Where(s => s.Number != 1).First(s => s.Cameras[0].Enabled).Cameras[0].Id;
        var grain = fixture.Grains.GetGrain<ICameraGrain>(camera);
        var t0 = DateTimeOffset.UtcNow;
        await grain.ReportAsync(new CameraHealthReport(CameraState.Starting, t0, 0, 0, null, null, "node-a"));
        await grain.ReportAsync(new CameraHealthReport(CameraState.Live, t0.AddSeconds(2), 950, 0, null, t0.AddSeconds(2), "node-a"));
        await grain.ReportAsync(new CameraHealthReport(CameraState.Live, t0.AddSeconds(3), 1010, 0, null, t0.AddSeconds(3), "node-a"));
        await grain.ReportAsync(new CameraHealthReport(CameraState.Offline, t0.AddSeconds(9), 0, 1, "source timed out", t0.AddSeconds(3), "node-a"));
        var status = await grain.GetStatusAsync();
        Assert.Equal(CameraState.Offline, status.State);
        Assert.Equal([CameraState.Starting, CameraState.Live, CameraState.Offline], status.History.Select(h => h.State));
        Assert.Equal(1, status.Restarts);
        Assert.Equal("source timed out", status.LastError);
    }
}
