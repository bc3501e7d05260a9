using Portal.Grains.Demo;
using Portal.Grains.Model;

namespace Portal.Grains.Counting;

/// <summary>
/// Where the demo's ballot-box cameras show ballots dropping: each reporting window holds the honest increase of the
/// simulator's turnout (<see cref="DemoTurnout"/>), shared out over its clips, evenly spaced inside each clip away from
/// its edges. The gateway draws exactly these drops; the counting service takes a clip's count from here as its known
/// answer; so the count of any demo clip is known exactly. Times are election time; the clock maps them to video time.
/// </summary>
public sealed class DemoBallotScene(ElectionCatalog catalog, ClipPlan plan, int seed)
{
    /// <summary>Share of a clip at each end kept free of drops, so a second of archive more or less never changes a count.</summary>
    public const double EdgeShare = 0.15;

    public ClipPlan Plan => plan;

    /// <summary>Ballots that go into the box during a clip.</summary>
    public int CountOf(CountClip clip) => DropsOf(clip).Count;

    public IReadOnlyList<DateTimeOffset> DropsOf(CountClip clip)
    {
        var station = catalog.FindStation(clip.StationId)!;
        var window = plan.Windows[clip.Window];
        var inWindow = WindowIncrease(station, window);
        var clips = plan.ClipsOf(clip.CameraId).Where(c => c.Window == clip.Window).ToList();
        // Largest share first: clip i holds floor(n * end_i / total) - floor(n * start_i / total) of the window's n ballots.
        var total = (window.End - window.Start).Ticks;
        long Cumulative(DateTimeOffset at) => (long)Math.Floor((double)inWindow * (at - window.Start).Ticks / total);
        var count = (int)(Cumulative(clip.End) - Cumulative(clip.Start));
        if (count <= 0) return [];
        var usable = clip.Length * (1 - 2 * EdgeShare);
        var first = clip.Start + clip.Length * EdgeShare;
        var spacing = usable / count;
        var random = new Random(DemoTurnout.Stable(clip.Id, seed));
        // A little jitter (a tenth of the spacing either way) so the drops do not tick like a metronome, yet never merge.
        return [.. Enumerable.Range(0, count).Select(i => first + spacing * (i + 0.5 + (random.NextDouble() - 0.5) * 0.2))];
    }

    /// <summary>The honest increase of voters issued ballots over a window (the official hours of the simulator's curve).</summary>
    public int WindowIncrease(StationDefinition station, ReportingWindow window)
    {
        var endHour = TimeZoneInfo.ConvertTime(window.End, catalog.TimeZone).Hour;
        var startHour = TimeZoneInfo.ConvertTime(window.Start, catalog.TimeZone).Hour;
        return DemoTurnout.HonestIssued(station, seed, endHour) - DemoTurnout.HonestIssued(station, seed, startHour);
    }

    /// <summary>
    /// The drops of a camera after a real instant (an ffmpeg run's start), as seconds after it: what the demo picture's
    /// filter draws. <paramref name="realTimeOf"/> maps election time to real time (the demo clock).
    /// </summary>
    public IReadOnlyList<double> DropSecondsAfter(string cameraId, DateTimeOffset realStart, Func<DateTimeOffset, DateTimeOffset> realTimeOf) =>
        [.. plan.ClipsOf(cameraId).Where(c => realTimeOf(c.End) > realStart)
            .SelectMany(DropsOf).Select(d => (realTimeOf(d) - realStart).TotalSeconds).Where(s => s > 0)];
}
