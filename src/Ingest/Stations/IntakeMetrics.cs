using System.Diagnostics;

namespace Portal.Ingest.Stations;

/// <summary>Where intake time goes (summed elapsed ticks), for the benchmark and /metrics.</summary>
public static class IntakeMetrics
{
    public static long VerifyTicks;
    public static long GrainTicks;
    public static long Requests;

    public static void Add(ref long counter, long startedTimestamp) => Interlocked.Add(ref counter, Stopwatch.GetTimestamp() - startedTimestamp);

    public static string Describe() =>
        $"verify {TimeSpan.FromTicks(Stopwatch.Frequency == TimeSpan.TicksPerSecond ? VerifyTicks : VerifyTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency).TotalSeconds:F1} s, " +
        $"grain+ledger {TimeSpan.FromTicks(GrainTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency).TotalSeconds:F1} s (summed over requests)";
}
