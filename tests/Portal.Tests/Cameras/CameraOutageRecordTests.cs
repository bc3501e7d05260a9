using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Portal.Grains.Demo;
using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.Ingest.Verification;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Cameras;

/// <summary>
/// The whole way of a camera outage onto the public record: real ffmpeg pulling a real RTSP source (rtsp-server-perl),
/// the camera grain appending camera-state entries, the public ledger API, the verifier, and the station page.
/// </summary>
public sealed partial class CameraOutageRecordTests(RtspServer server) : IClassFixture<RtspServer>
{
    private const string Credentials = "recorduser:R3cordS3cret";

    [Fact]
    public async Task StoppedSourceIsRecordedOfflineThenLiveAndTheStationPageUptimeIsWhatTheEntriesSay()
    {
        var publisher = Publisher.Start(Publisher.Moving, server.PublishUrl("record"));
        try
        {
            await using var portal = new Host(server.ReadUrl("record", Credentials));
            var http = portal.CreateClient();
            var cameraId = portal.CameraId;

            var live = await WaitForEntryAsync(http, cameraId, 0, "live", "first live");
            // A clean stop (TEARDOWN): rtsp-server-perl refuses the return of a killed publisher (403).
            await publisher.InterruptAsync();
            var offline = await WaitForEntryAsync(http, cameraId, live.Seq, "offline", "offline after the source stopped");
            await using var returned = Publisher.Start(Publisher.Moving, server.PublishUrl("record"));
            var back = await WaitForEntryAsync(http, cameraId, offline.Seq, "live", "live again after the source returned");

            var entries = (await ReadLedgerAsync(http)).Where(e => e.Kind == LedgerKinds.CameraState && e.Record.CameraId == cameraId).ToList();
            Assert.All(entries, e => Assert.Equal(portal.StationId, e.StationId));
            Assert.True(live.Record.At < offline.Record.At && offline.Record.At < back.Record.At,
                string.Join(", ", entries.Select(e => $"{e.Record.State}@{e.Record.At:O}")));
            Assert.Equal(CameraStateReasons.SegmentsArrive, back.Record.Reason);
            Assert.Contains(offline.Record.Reason, new[] { CameraStateReasons.NoSegment, CameraStateReasons.NoNewSegment, CameraStateReasons.RestartLoop });
            // Each entry links to the camera's previous one.
            for (var i = 1; i < entries.Count; i++) Assert.Equal(entries[i - 1].Record.State, entries[i].Record.Previous);

            var verification = await new LedgerVerifier(http).VerifyAsync();
            Assert.True(verification.Ok, verification.ToString());
            var ledgerText = await http.GetStringAsync("/api/v1/ledger?after=0&limit=1000");
            Assert.DoesNotContain("R3cordS3cret", ledgerText);
            Assert.DoesNotContain("rtsp", ledgerText);

            // What the entries say: the seconds between the first live and the return not spent live (all in the past, so fixed).
            var outage = TimeSpan.Zero;
            for (var i = 0; i < entries.Count - 1; i++)
                if (entries[i].Record.State != Grains.Abstractions.CameraState.Live) outage += entries[i + 1].Record.At - entries[i].Record.At;
            Assert.True(outage > TimeSpan.Zero);
            var before = DateTimeOffset.UtcNow;
            var html = await http.GetStringAsync($"/stations/{portal.StationId}?lang=en");
            var after = DateTimeOffset.UtcNow;
            var row = UptimeRow().Match(html);
            Assert.True(row.Success, "no uptime row for the camera on the station page");
            Assert.Equal(cameraId, row.Groups["camera"].Value);
            var known = double.Parse(row.Groups["known"].Value, CultureInfo.InvariantCulture);
            var pageOutage = double.Parse(row.Groups["outage"].Value, CultureInfo.InvariantCulture);
            Assert.Equal(outage.TotalSeconds, pageOutage, 0.002);
            var first = entries[0].Record.At;
            Assert.InRange(known, (before - first).TotalSeconds - 0.002, (after - first).TotalSeconds + 0.002);
            var share = (known - pageOutage) / known;
            Assert.Contains((share).ToString("P1", CultureInfo.GetCultureInfo("en")), row.Groups["text"].Value);
        }
        finally
        {
            await publisher.DisposeAsync();
        }
    }

    private sealed record Entry(long Seq, string Kind, string StationId, CameraStateRecord Record);

    private static async Task<Entry> WaitForEntryAsync(HttpClient http, string cameraId, long afterSeq, string state, string what)
    {
        return (await Wait.ForAsync(async () => (await ReadLedgerAsync(http)).FirstOrDefault(e => e.Seq > afterSeq && e.Kind == LedgerKinds.CameraState
                && e.Record.CameraId == cameraId && CameraStatePayload.Name(e.Record.State) == state),
            found => found is not null, $"a camera-state entry \"{state}\" ({what})", TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250)))!;
    }

    private static async Task<List<Entry>> ReadLedgerAsync(HttpClient http)
    {
        using var page = JsonDocument.Parse(await http.GetStringAsync("/api/v1/ledger?after=0&limit=1000"));
        return [.. page.RootElement.GetProperty("entries").EnumerateArray()
            .Where(e => e.GetProperty("kind").GetString() == LedgerKinds.CameraState)
            .Select(e => new Entry(e.GetProperty("seq").GetInt64(), e.GetProperty("kind").GetString()!, e.GetProperty("stationId").GetString()!,
                CameraStatePayload.Parse(e.GetProperty("payload").GetString()!)))];
    }

    [GeneratedRegex("""<li data-camera="(?<camera>[^"]+)" data-known-seconds="(?<known>[0-9.]+)"\s+data-outage-seconds="(?<outage>[0-9.]+)">(?<text>[^<]*)</li>""")]
    private static partial Regex UptimeRow();

    /// <summary>The portal in memory with camera supervision on and one enabled camera pulling the test's RTSP source.</summary>
    private sealed class Host : InMemoryPortalFactory
    {
        private readonly string _electionFile;
        private readonly string _keysFile;

        public Host(string source) : base("portal-camera-record-")
        {
            var folder = Path.Combine(DataDir, "election");
            Directory.CreateDirectory(folder);
            var election = DemoElectionGenerator.Generate(new DemoElectionOptions
            {
                Seed = 11, Stations = 4, ActiveCameraStations = 1, ElectionDay = DateOnly.FromDateTime(DateTime.UtcNow),
            });
            // Polls open now, whatever the hour: the whole test is during voting hours.
            TestElections.OpenPollsNow(election, TimeSpan.FromHours(1), TimeSpan.FromHours(6));
            foreach (var camera in election.Stations.SelectMany(s => s.Cameras)) camera.Enabled = false;
            var station = election.Stations[0];
            station.Cameras = [station.Cameras[0]];
            station.Cameras[0].Enabled = true;
            station.Cameras[0].Source = source;
            (StationId, CameraId) = (station.Id, station.Cameras[0].Id);
            var files = TestElectionFiles.Write(folder, election, keysFileName: "station-keys.csv");
            (_electionFile, _keysFile) = (files.ElectionPath, files.KeysPath);
        }

        public string StationId { get; }
        public string CameraId { get; }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("election", _electionFile);
            builder.UseSetting("station-keys", _keysFile);
            builder.UseSetting("Search:IndexPath", Path.Combine(DataDir, "search"));
            builder.UseSetting("Gateway:Supervise", "true");
            builder.UseSetting("PublicWeb:ApiRequestsPerWindow", "1000000");
        }
    }
}
