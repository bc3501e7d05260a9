using Portal.Grains.Abstractions;
using Portal.Grains.Forensics;
using Portal.Grains.Ledger;
using Portal.Grains.Results;

namespace Portal.Grains.Tests.Forensics;

/// <summary>The forensics grain follows the ledger the station grains write and the camera feed the camera grains publish.</summary>
[Collection(SiloCollection.Name)]
public sealed class ForensicsGrainTests(SiloFixture fixture)
{
    private static readonly SignedRequest Unsigned = new("k", 0, "POST", "/", "", "", "");

    private static ProtocolSubmission Protocol(string id, int issued, int leader, string? supersedes = null)
    {
        var invalid = 10;
        var rest = issued - invalid - leader;
        return new ProtocolSubmission(id, "leg", 1000, 1010, issued, issued, invalid, 0, 1010 - issued,
            new Dictionary<string, int> { ["F-1"] = leader, ["F-2"] = rest / 2, ["F-3"] = rest - rest / 2 }, supersedes, supersedes is null ? null : "recount");
    }

    private async Task SubmitAsync(string station, ProtocolSubmission protocol) =>
        Assert.Equal(SubmissionStatus.Created, (await fixture.Grains.GetGrain<IPollingStationGrain>(GrainKeys.Station(SiloFixture.ElectionId, station))
            .SubmitProtocolAsync(protocol, Unsigned, DateTimeOffset.UtcNow)).Status);

    /// <summary>Asks until the report satisfies <paramref name="done"/> (reports are cached for a second), at most ten seconds.</summary>
    private async Task<ForensicsReport> ReportWhenAsync(Func<ForensicsReport, bool> done)
    {
        var grain = fixture.Grains.GetGrain<IForensicsGrain>(SiloFixture.ElectionId);
        ForensicsReport report = null!;
        await Wait.UntilAsync(async () =>
        {
            await grain.CatchUpAsync();
            report = await grain.GetReportAsync("leg", null, "F");
            return done(report);
        }, "the forensics report", details: () => $"{report?.StationsReported} stations reported, flags: {string.Join("; ", report?.Flags.Select(f => $"{f.StationId} {string.Join(",", f.Codes)}") ?? [])}");
        return report;
    }

    [Fact]
    public async Task ProtocolsCorrectionsAndCameraOutagesReachTheReport()
    {
        await SubmitAsync("F1", Protocol("f1", issued: 990, leader: 950));
        await SubmitAsync("F2", Protocol("f2", issued: 610, leader: 300));
        var report = await ReportWhenAsync(r => r.StationsReported == 2);
        Assert.Equal(2, report.StationsReported);
        Assert.Equal("p", report.LeadingParty);
        var flag = Assert.Single(report.Flags, f => f.Codes.Contains(FlagCodes.TurnoutOver95));
        Assert.Equal("F1", flag.StationId);

        // A camera without live video for 11 minutes in the afternoon (times of the gateway's clock = election time here).
        var open = SiloFixture.Close.AddHours(-12);
        var camera = fixture.Grains.GetGrain<ICameraGrain>("cam-F2");
        await camera.ReportAsync(new CameraHealthReport(CameraState.Live, open.AddHours(1), 1000, 0, null, null, null));
        await camera.ReportAsync(new CameraHealthReport(CameraState.Offline, open.AddHours(6), 0, 1, "connection refused", null, null));
        await camera.ReportAsync(new CameraHealthReport(CameraState.Live, open.AddHours(6).AddMinutes(11), 1000, 1, null, null, null));
        report = await ReportWhenAsync(r => r.Flags.Any(f => f.StationId == "F2" && f.Codes.Contains(FlagCodes.CameraOffline)));
        // (Every candidate of the fixture is of party "p", so its share is 100 % everywhere: leader-over-90 too.)
        Assert.Contains(FlagCodes.CameraOffline, Assert.Single(report.Flags, f => f.StationId == "F2").Codes);
        Assert.DoesNotContain(FlagCodes.CameraOffline, Assert.Single(report.Flags, f => f.StationId == "F1").Codes);

        // The recount's version 2 replaces version 1: F1 is no longer over 95 %, and is marked corrected.
        await SubmitAsync("F1", Protocol("f1-v2", issued: 640, leader: 320, supersedes: "f1"));
        report = await ReportWhenAsync(r => r.Flags.Any(f => f.StationId == "F1" && f.Codes.Contains(FlagCodes.Corrected)));
        var codes = Assert.Single(report.Flags, f => f.StationId == "F1").Codes;
        Assert.Contains(FlagCodes.Corrected, codes);
        Assert.DoesNotContain(FlagCodes.TurnoutOver95, codes);
        Assert.Equal(2, report.StationsReported);
        Assert.DoesNotContain(report.Fingerprint!.Cells, c => c[0] >= 95);
    }
}
