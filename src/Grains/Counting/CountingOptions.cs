using System.ComponentModel.DataAnnotations;

namespace Portal.Grains.Counting;

/// <summary>Options section "Counting": volunteers counting ballots in ballot-box video (docs/counting.md).</summary>
public sealed class CountingOptions
{
    public const string Section = "Counting";

    /// <summary>Election minutes per clip on a real day: about ten minutes is what a volunteer counts in one sitting.</summary>
    [Range(1, 120)] public int ClipMinutes { get; set; } = 10;

    /// <summary>Election minutes per clip when the demo clock is accelerated: 30 election minutes are about 21 real seconds at the default speed.</summary>
    [Range(1, 120)] public int DemoClipMinutes { get; set; } = 30;

    /// <summary>Share of the tasks that are known-answer clips.</summary>
    [Range(0, 100)] public double KnownAnswerPercent { get; set; } = 10;

    /// <summary>Independent counts a clip needs at least, and at most (when they disagree).</summary>
    [Range(1, 20)] public int MinCounts { get; set; } = 3;
    [Range(1, 20)] public int MaxCounts { get; set; } = 5;

    /// <summary>No human presses faster than this for a whole clip (ballots are counted one by one).</summary>
    [Range(1, 50)] public double MaxPressesPerSecond { get; set; } = 5;

    /// <summary>Submissions per volunteer token and per client address per minute.</summary>
    [Range(1, 10_000)] public int SubmissionsPerTokenPerMinute { get; set; } = 20;
    [Range(1, 100_000)] public int SubmissionsPerAddressPerMinute { get; set; } = 120;

    public int ClipMinutesFor(bool acceleratedDemo) => acceleratedDemo ? DemoClipMinutes : ClipMinutes;
}
