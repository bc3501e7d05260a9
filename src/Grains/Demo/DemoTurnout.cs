using Portal.Grains.Model;

namespace Portal.Grains.Demo;

/// <summary>
/// The demo's honest turnout: what the station simulator reports for an unmanipulated station, and what the demo's
/// ballot-box cameras show dropping into the box. One function for both, so a clip's true count is known exactly.
/// </summary>
public static class DemoTurnout
{
    /// <summary>Cumulative share of the final turnout reached by each official hour (10, 12, 14, 16, 18, 20): a morning rise, a lunch dip, an evening push.</summary>
    public static readonly (int Hour, double Share)[] Curve = [(10, 0.22), (12, 0.45), (14, 0.60), (16, 0.74), (18, 0.88), (20, 1.0)];

    public static double FinalTurnout(Random random) => 0.55 + random.NextDouble() * 0.30;

    /// <summary>The station's final turnout as the simulator draws it for <paramref name="seed"/>.</summary>
    public static double FinalTurnout(StationDefinition station, int seed) => FinalTurnout(new Random(Stable(station.Id, seed)));

    /// <summary>Voters issued ballots by an official hour (cumulative), with the report's small noise; 0 before the first.</summary>
    public static int Issued(StationDefinition station, int seed, int hour, double finalTurnout)
    {
        var point = Curve.FirstOrDefault(c => c.Hour == hour);
        if (point.Hour == 0) return 0;
        var random = new Random(Stable(station.Id, seed) ^ hour);
        var noise = hour == Curve[^1].Hour ? 1 : 0.95 + random.NextDouble() * 0.1;
        return Math.Min(station.VotersOnList, (int)Math.Round(station.VotersOnList * finalTurnout * point.Share * noise));
    }

    /// <summary>The honest count by an official hour: what really went into the box.</summary>
    public static int HonestIssued(StationDefinition station, int seed, int hour) => Issued(station, seed, hour, FinalTurnout(station, seed));

    /// <summary>FNV-1a: string.GetHashCode differs per process, and a restarted simulator must regenerate the same figures.</summary>
    public static int Stable(string text, int seed)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return (int)(hash & 0x7fffffff);
    }
}
