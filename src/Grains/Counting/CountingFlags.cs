namespace Portal.Grains.Counting;

/// <summary>The statistics flag of counted video (api.md section 6, docs/counting.md).</summary>
public static class CountingFlags
{
    public const string VideoCountBelowOfficial = "video-count-below-official";
    public const double MinCoverage = 0.8;
    public const double Excess = 0.2;

    /// <summary>
    /// At least 80 % of the window counted and the official increase more than 20 % above the count (scaled up to the
    /// whole window, so 80 % coverage of an honest window is not a flag).
    /// </summary>
    public static bool CountBelowOfficial(double coverage, int counted, int? officialIncrease) =>
        officialIncrease is { } official && coverage >= MinCoverage && official > (1 + Excess) * (counted / coverage);
}
