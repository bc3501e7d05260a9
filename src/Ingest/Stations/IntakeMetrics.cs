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
        $"verify {Seconds(VerifyTicks):F1} s, grain+ledger {Seconds(GrainTicks):F1} s (summed over requests)";

    private static double Seconds(long stopwatchTicks) => (double)stopwatchTicks / Stopwatch.Frequency;
}
