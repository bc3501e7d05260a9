using Microsoft.Extensions.Options;
using Portal.Grains.Demo;
using Portal.Grains.Model;

namespace Portal.Grains.Counting;

/// <summary>
/// The counting setup every node shares: the clip plan, the demo scene (the truth of demo cameras' clips), which clips are
/// known-answer clips and when a clip is in the archive. A singleton; pure apart from the clock.
/// </summary>
public sealed class CountingPlan
{
    private readonly ElectionCatalog _catalog;

    public CountingPlan(ElectionCatalog catalog, ElectionClock clock, IOptions<CountingOptions> options, IOptions<DemoOptions> demo)
    {
        _catalog = catalog;
        Clock = clock;
        Options = options.Value;
        Plan = new ClipPlan(catalog, Options.ClipMinutesFor(demo.Value.Enabled && clock.Speed > 1));
        Scene = new DemoBallotScene(catalog, Plan, demo.Value.Seed);
    }

    public ElectionClock Clock { get; }
    public CountingOptions Options { get; }
    public ClipPlan Plan { get; }
    public DemoBallotScene Scene { get; }

    /// <summary>The true count of a clip of a demo camera (the scene draws it); null for a real camera.</summary>
    public int? DemoTruth(CountClip clip) =>
        _catalog.FindCamera(clip.CameraId)?.Camera.Source == CameraSources.Demo ? Scene.CountOf(clip) : null;

    /// <summary>A fixed share (KnownAnswerPercent) of the demo's clips serve as known-answer clips, chosen by a stable hash.</summary>
    public bool IsDemoKnownAnswer(CountClip clip) =>
        DemoTruth(clip) is not null && DemoTurnout.Stable(clip.Id, 0x4b41) % 10_000 < Options.KnownAnswerPercent * 100;

    /// <summary>
    /// A clip can be counted once its end is a few real seconds behind us, so its last segment is in the archive.
    /// </summary>
    public bool IsArchived(CountClip clip) => Clock.Now >= clip.End + TimeSpan.FromSeconds(3 * Clock.Speed);
}
