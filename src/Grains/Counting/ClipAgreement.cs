namespace Portal.Grains.Counting;

/// <summary>One volunteer's count of a clip with the weight their known-answer record gives it (0 = excluded).</summary>
public readonly record struct WeightedCount(int Count, double Weight);

public enum ClipStatus { Open, NeedsMore, Settled }

/// <summary>What a clip's counts say: its status, and once settled the published count (weighted median) and spread (max - min).</summary>
public readonly record struct ClipOutcome(ClipStatus Status, int? Published, int? Spread, int Counts);

/// <summary>
/// The agreement rule (docs/counting.md): at least <c>min</c> counts of weight above zero; when they differ by more than
/// max(2, 5 % of their median) more are asked for, up to <c>max</c>, which settle the clip anyway. The published count
/// is the weighted median: one wild count cannot move it.
/// </summary>
public static class ClipAgreement
{
    public static ClipOutcome Evaluate(IReadOnlyCollection<WeightedCount> counts, int min, int max)
    {
        var valid = counts.Where(c => c.Weight > 0).OrderBy(c => c.Count).ToList();
        if (valid.Count < min) return new(ClipStatus.Open, null, null, valid.Count);
        var median = WeightedMedian(valid);
        var spread = valid[^1].Count - valid[0].Count;
        var agree = spread <= Tolerance(median);
        if (!agree && valid.Count < max) return new(ClipStatus.NeedsMore, null, spread, valid.Count);
        return new(ClipStatus.Settled, median, spread, valid.Count);
    }

    /// <summary>How far counts of one clip may differ and still agree: two ballots, or 5 % of a busy clip.</summary>
    public static double Tolerance(int median) => Math.Max(2, 0.05 * median);

    /// <summary>The lower weighted median of counts sorted ascending.</summary>
    public static int WeightedMedian(IReadOnlyList<WeightedCount> sorted)
    {
        var half = sorted.Sum(c => c.Weight) / 2;
        var cumulative = 0.0;
        foreach (var c in sorted)
        {
            cumulative += c.Weight;
            if (cumulative >= half - 1e-9) return c.Count;
        }
        return sorted[^1].Count;
    }

    /// <summary>A count of a known-answer clip is right within max(1, 5 %) of the answer.</summary>
    public static bool IsRight(int count, int answer) => Math.Abs(count - answer) <= Math.Max(1, 0.05 * answer);

    /// <summary>
    /// A volunteer's weight from their known-answer record: (right + 1) / (tried + 2), and 0 (excluded) once they got
    /// less than half of them right. A newcomer weighs 0.5, one wrong answer excludes until right answers outweigh it.
    /// </summary>
    public static double Weight(int tried, int right) =>
        tried > 0 && right * 2 < tried ? 0 : (right + 1.0) / (tried + 2.0);
}
