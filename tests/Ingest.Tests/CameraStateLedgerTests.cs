using Portal.Grains.Abstractions;
using Portal.Grains.Ledger;
using Portal.Ingest.Verification;

namespace Portal.Ingest.Tests;

/// <summary>The camera-state entry kind: its codec, what the verifier refuses, and the uptime read from it.</summary>
public sealed class CameraStateLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 5, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PayloadRoundTripsInOneSpelling()
    {
        var record = new CameraStateRecord("cam-1", CameraState.Offline, CameraState.Live, T0.AddSeconds(1.25), CameraStateReasons.NoSegment);
        var payload = CameraStatePayload.Write(record);
        Assert.Equal("""{"cameraId":"cam-1","state":"offline","previous":"live","at":"2026-12-03T05:00:01.2500000Z","reason":"no-segment"}""", payload);
        Assert.Equal(record, CameraStatePayload.Parse(payload));
        Assert.Throws<FormatException>(() => CameraStatePayload.Parse(payload.Replace("\"at\"", " \"at\"")));
        Assert.Throws<FormatException>(() => CameraStatePayload.Parse(payload.Replace("no-segment", "rtsp://u:p@10.0.0.1/ timed out")));
        Assert.Throws<FormatException>(() => CameraStatePayload.Parse(payload.Replace("offline", "starting")));
    }

    [Fact]
    public void VerifierAcceptsALinkedChainAndRefusesABrokenLinkOrASignedCameraEntry()
    {
        var good = Chain(
            Record(CameraState.Live, null, 0), Record(CameraState.Offline, CameraState.Live, 10), Record(CameraState.Live, CameraState.Offline, 25));
        Assert.True(LedgerVerifier.Verify(good, []).Ok);

        // An outage quietly taken out and the chain rebuilt around it: the live entry no longer follows its previous.
        var erased = Chain(Record(CameraState.Live, null, 0), Record(CameraState.Live, CameraState.Offline, 25));
        var bad = LedgerVerifier.Verify(erased, []);
        Assert.False(bad.Ok);
        Assert.Equal(2, bad.BadSeq);

        var signed = Chain([Record(CameraState.Live, null, 0)], new SignedRequest("k", 1, "POST", "/x", "h", "s", "b"));
        Assert.False(LedgerVerifier.Verify(signed, []).Ok);
    }

    [Fact]
    public void UptimeCountsFromTheFirstEntryAndEveryNonLiveMomentAsOutage()
    {
        var uptime = CameraUptime.Compute("cam-1", [(T0.AddSeconds(10), CameraState.Live), (T0.AddSeconds(40), CameraState.Stalled),
            (T0.AddSeconds(43), CameraState.Offline), (T0.AddSeconds(60), CameraState.Live)], T0, T0.AddSeconds(110));
        Assert.Equal(T0.AddSeconds(10), uptime.Since);
        Assert.Equal(TimeSpan.FromSeconds(100), uptime.Known);
        Assert.Equal(TimeSpan.FromSeconds(80), uptime.Live);
        Assert.Equal(0.8, uptime.Share!.Value, 6);
        var outage = Assert.Single(uptime.Outages);
        Assert.Equal((T0.AddSeconds(40), T0.AddSeconds(60), CameraState.Stalled), outage);
        Assert.Null(CameraUptime.Compute("cam-1", [], T0, T0.AddHours(1)).Share);
    }

    private static CameraStateRecord Record(CameraState state, CameraState? previous, double seconds) =>
        new("cam-1", state, previous, T0.AddSeconds(seconds), CameraStateReasons.Of(state, null));

    private static List<LedgerEntryDto> Chain(params CameraStateRecord[] records) => Chain(records, null);

    private static List<LedgerEntryDto> Chain(CameraStateRecord[] records, SignedRequest? request)
    {
        var entries = new List<LedgerEntryDto>();
        var previous = LedgerHash.Genesis;
        for (var i = 0; i < records.Length; i++)
        {
            var entry = LedgerEntry.Create(i + 1, previous, new LedgerAppend(LedgerKinds.CameraState, "st-1", CameraStatePayload.Write(records[i]), T0.AddSeconds(i), request));
            entries.Add(LedgerEntryDto.From(entry));
            previous = entry.Hash;
        }
        return entries;
    }
}
