using Portal.Grains.Abstractions;

namespace Portal.Grains.Forensics;

/// <summary>The flag codes of api.md section 6 "Statistics for observers" and the rules that set them. A flag is a reason to look, not a finding.</summary>
public static class FlagCodes
{
    public const string TurnoutOver95 = "turnout-over-95";
    public const string LeaderOver90 = "leader-over-90";
    public const string TurnoutJump = "turnout-jump";
    public const string Corrected = "corrected";
    public const string Invalidated = "invalidated";
    public const string CameraOffline = "camera-offline-while-voting";
    public const string IntegerTurnout = "integer-turnout";

    /// <summary>An addition to the contract: the leading party's share is a whole percentage.</summary>
    public const string IntegerLeaderShare = "integer-leader-share";

    /// <summary>
    /// An addition to the contract (issue 18): in a reporting window counted from ballot-box video (coverage of 80 % or
    /// more) the official increase of voters issued ballots is more than 20 % above the count; the rule is
    /// <see cref="Counting.CountingFlags.CountBelowOfficial"/>.
    /// </summary>
    public const string VideoCountBelowOfficial = Counting.CountingFlags.VideoCountBelowOfficial;

    /// <summary>Every code, in the order pages and the CSV show them (additions last, so the CSV's columns keep their places).</summary>
    public static readonly IReadOnlyList<string> All =
        [TurnoutOver95, LeaderOver90, TurnoutJump, CameraOffline, IntegerTurnout, IntegerLeaderShare, Corrected, Invalidated, VideoCountBelowOfficial];

    /// <summary>The codes that come from turnout reports, cameras and video counts, not protocols: the only ones shown before polls close (Art. 103).</summary>
    public static bool BeforeClose(string code) => code is TurnoutJump or CameraOffline or VideoCountBelowOfficial;
}

/// <summary>One stretch of time a camera was without live video, in election time.</summary>
[GenerateSerializer, Immutable, Alias("portal.CameraOutage")]
public sealed record CameraOutage(
    [property: Id(0)] string CameraId,
    [property: Id(1)] DateTimeOffset From,
    [property: Id(2)] DateTimeOffset To,
    [property: Id(3)] CameraState State)
{
    public TimeSpan Duration => To - From;
}

public static class FlagRules
{
    public const double TurnoutOver = 95;
    public const double LeaderOver = 90;

    /// <summary>More than this many percentage points between two consecutive turnout reports.</summary>
    public const double TurnoutJumpPoints = 30;

    /// <summary>A camera without live video for more than this while polls were open.</summary>
    public static readonly TimeSpan CameraOfflineLongerThan = TimeSpan.FromMinutes(10);

    /// <summary>The largest rise between consecutive reports (ordered by asOf), in percentage points; 0 with fewer than two.</summary>
    public static double LargestTurnoutJump(IReadOnlyList<(DateTimeOffset AsOf, double Percent)> reports)
    {
        var largest = 0.0;
        for (var i = 1; i < reports.Count; i++) largest = Math.Max(largest, reports[i].Percent - reports[i - 1].Percent);
        return largest;
    }

    /// <summary>
    /// The stretches between <paramref name="from"/> and <paramref name="until"/> during which the camera was in any state
    /// but live, from its state changes (times already in election time). Before its first reported change nothing is
    /// known, so nothing is counted: only what the gateway reported can flag a station.
    /// </summary>
    public static List<CameraOutage> Outages(string cameraId, IEnumerable<CameraStateChange> history, DateTimeOffset from, DateTimeOffset until)
    {
        var outages = new List<CameraOutage>();
        if (until <= from) return outages;
        (DateTimeOffset At, CameraState State)? down = null;
        void Close(DateTimeOffset end)
        {
            if (down is not { } d) return;
            var start = d.At < from ? from : d.At;
            var stop = end > until ? until : end;
            if (stop > start) outages.Add(new CameraOutage(cameraId, start, stop, d.State));
            down = null;
        }
        foreach (var change in history.OrderBy(c => c.At))
        {
            if (change.State == CameraState.Live) Close(change.At);
            else if (down is null) down = (change.At, change.State);
        }
        Close(until);
        return outages;
    }

    public static bool CameraOfflineWhileVoting(IEnumerable<CameraOutage> outages) => outages.Any(o => o.Duration > CameraOfflineLongerThan);
}
