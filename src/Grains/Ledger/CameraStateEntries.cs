using System.Collections.Frozen;
using System.Text.Json;
using Portal.Grains.Abstractions;
using Portal.Grains.Model;

namespace Portal.Grains.Ledger;

/// <summary>
/// Why a camera changed state, as a fixed code: the public record never carries ffmpeg's text (which can name the source
/// and its credentials), only one of these.
/// </summary>
public static class CameraStateReasons
{
    public const string SegmentsArrive = "segments-arrive";
    public const string NoNewSegment = "no-new-segment";
    public const string ProcessExited = "process-exited";
    public const string NoSegment = "no-segment";
    public const string RestartLoop = "restart-loop";
    public const string PictureFrozen = "picture-frozen";
    public const string PictureBlack = "picture-black";

    public static readonly FrozenSet<string> All =
        new[] { SegmentsArrive, NoNewSegment, ProcessExited, NoSegment, RestartLoop, PictureFrozen, PictureBlack }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The code a report gives, or one that follows from the state when the gateway sent none (an older node).</summary>
    public static string Of(CameraState state, string? reported) =>
        reported is not null && All.Contains(reported) ? reported : state switch
        {
            CameraState.Live => SegmentsArrive,
            CameraState.Frozen => PictureFrozen,
            CameraState.Black => PictureBlack,
            CameraState.Stalled => NoNewSegment,
            _ => NoSegment,
        };
}

/// <summary>One camera state change as the ledger holds it (kind <see cref="LedgerKinds.CameraState"/>).</summary>
/// <param name="At">When the gateway observed the change (its clock, real time; the entry's receivedAt is when it was appended).</param>
/// <param name="Previous">The camera's previous recorded state; null for its first entry.</param>
public sealed record CameraStateRecord(string CameraId, CameraState State, CameraState? Previous, DateTimeOffset At, string Reason);

/// <summary>
/// The canonical JSON of a camera-state entry: <c>{"cameraId","state","previous","at","reason"}</c> in this order, states in
/// lower case, <c>at</c> in the ledger's time spelling. Only the states a viewer can tell apart are recorded.
/// </summary>
public static class CameraStatePayload
{
    private static readonly FrozenDictionary<CameraState, string> Names = new Dictionary<CameraState, string>
    {
        [CameraState.Live] = "live", [CameraState.Stalled] = "stalled", [CameraState.Frozen] = "frozen",
        [CameraState.Black] = "black", [CameraState.Offline] = "offline",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, CameraState> ByName = Names.ToFrozenDictionary(kv => kv.Value, kv => kv.Key, StringComparer.Ordinal);

    /// <summary>Live, stalled, frozen, black and offline are recorded; starting (a restart in progress) and unknown are not.</summary>
    public static bool IsRecorded(CameraState state) => Names.ContainsKey(state);

    public static string Name(CameraState state) => Names[state];

    public static string Write(CameraStateRecord r)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("cameraId", r.CameraId);
            w.WriteString("state", Name(r.State));
            if (r.Previous is { } previous) w.WriteString("previous", Name(previous)); else w.WriteNull("previous");
            w.WriteString("at", LedgerHash.FormatTime(r.At));
            w.WriteString("reason", r.Reason);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <exception cref="FormatException">a field is missing, unknown or not in its canonical spelling.</exception>
    public static CameraStateRecord Parse(string payload)
    {
        try
        {
            using var doc = JsonDocument.Parse(payload);
            var r = doc.RootElement;
            CameraState State(string name) => ByName.TryGetValue(name, out var s) ? s : throw new FormatException($"unknown camera state \"{name}\"");
            var cameraId = r.GetProperty("cameraId").GetString() ?? "";
            if (!CameraIds.IsValid(cameraId)) throw new FormatException("cameraId is not a camera id");
            var previous = r.GetProperty("previous");
            var at = r.GetProperty("at").GetString() ?? "";
            var reason = r.GetProperty("reason").GetString() ?? "";
            if (!CameraStateReasons.All.Contains(reason)) throw new FormatException($"unknown reason \"{reason}\"");
            var record = new CameraStateRecord(cameraId, State(r.GetProperty("state").GetString() ?? ""),
                previous.ValueKind == JsonValueKind.Null ? null : State(previous.GetString() ?? ""),
                DateTimeOffset.ParseExact(at, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal), reason);
            // Exactly one spelling: a payload that parses but was written differently is not canonical.
            if (Write(record) != payload) throw new FormatException("the payload is not in its canonical form");
            return record;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"not a camera-state payload: {e.Message}", e);
        }
    }
}

/// <summary>Appends a camera's state change to the ledger under its station (the camera grain is the only caller).</summary>
public sealed class CameraStateLedgerWriter(ILedgerStore ledger, TimeProvider time)
{
    public Task<LedgerEntry> AppendAsync(string stationId, CameraStateRecord record, CancellationToken cancellationToken = default) =>
        ledger.AppendAsync(new LedgerAppend(LedgerKinds.CameraState, stationId, CameraStatePayload.Write(record), time.GetUtcNow(), null), cancellationToken);

    /// <summary>
    /// The election day the record covers: from the start of the local day polls open to the end of the local day they
    /// close (set-up before opening and the count after closing are on camera too). Times in election time.
    /// </summary>
    public static bool IsElectionDay(ElectionCatalog catalog, DateTimeOffset electionTime)
    {
        var zone = catalog.TimeZone;
        var firstDay = TimeZoneInfo.ConvertTime(catalog.Election.PollsOpen, zone).Date;
        var lastDay = TimeZoneInfo.ConvertTime(catalog.Election.PollsClose, zone).Date;
        var day = TimeZoneInfo.ConvertTime(electionTime, zone).Date;
        return day >= firstDay && day <= lastDay;
    }
}

/// <summary>A camera's share of live video over a window, and the windows without it, from its recorded state changes.</summary>
/// <param name="Since">Where the record's coverage of the window starts (the camera's first entry, or the window's start); null if it has none.</param>
/// <param name="Known">The part of the window covered by the record.</param>
public sealed record CameraUptime(string CameraId, DateTimeOffset? Since, TimeSpan Known, TimeSpan Live, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To, CameraState State)> Outages)
{
    /// <summary>Live / known, 0..1; null when nothing of the window is known.</summary>
    public double? Share => Known > TimeSpan.Zero ? Live / Known : null;

    /// <summary>
    /// Over [<paramref name="from"/>, <paramref name="until"/>]: a camera counts from its first recorded change on (before that
    /// nothing is known, so nothing is claimed); every moment in a state other than live is an outage.
    /// </summary>
    public static CameraUptime Compute(string cameraId, IEnumerable<(DateTimeOffset At, CameraState State)> changes, DateTimeOffset from, DateTimeOffset until)
    {
        var ordered = changes.OrderBy(c => c.At).ToList();
        var outages = new List<(DateTimeOffset, DateTimeOffset, CameraState)>();
        if (until <= from || ordered.Count == 0) return new CameraUptime(cameraId, null, TimeSpan.Zero, TimeSpan.Zero, outages);
        var known = TimeSpan.Zero;
        var live = TimeSpan.Zero;
        DateTimeOffset? since = null;
        for (var i = 0; i < ordered.Count; i++)
        {
            var start = ordered[i].At < from ? from : ordered[i].At;
            var end = i + 1 < ordered.Count ? ordered[i + 1].At : until;
            if (end > until) end = until;
            if (end <= start) continue;
            since ??= start;
            known += end - start;
            if (ordered[i].State == CameraState.Live) live += end - start;
            else if (outages.Count > 0 && outages[^1].Item2 == start) outages[^1] = (outages[^1].Item1, end, outages[^1].Item3);
            else outages.Add((start, end, ordered[i].State));
        }
        return new CameraUptime(cameraId, since, known, live, outages);
    }
}
