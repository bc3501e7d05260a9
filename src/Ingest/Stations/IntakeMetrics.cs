using System.Diagnostics;

namespace Portal.Ingest.Stations;

/// <summary>Where intake time goes (summed elapsed ticks) and how many requests were turned away why, for the benchmark and /metrics.</summary>
public static class IntakeMetrics
{
    public static long VerifyTicks;
    public static long GrainTicks;
    public static long Requests;

    /// <summary>401 from the Authorization header alone (the body was not read).</summary>
    public static long RejectedBeforeBody;

    /// <summary>401 after the body: the signature does not verify.</summary>
    public static long BadSignatures;

    /// <summary>408: the body came too slowly or not within the deadline; 400: it broke off.</summary>
    public static long SlowBodies;

    /// <summary>429 because the station key already has its requests in flight.</summary>
    public static long ThrottledPerKey;

    /// <summary>429 because the intake queue is full.</summary>
    public static long ThrottledQueue;

    /// <summary>422 from the plausibility rules.</summary>
    public static long Implausible;

    public static void Add(ref long counter, long startedTimestamp) => Interlocked.Add(ref counter, Stopwatch.GetTimestamp() - startedTimestamp);

    public static string Describe() =>
        $"verify {Seconds(VerifyTicks):F1} s, grain+ledger {Seconds(GrainTicks):F1} s (summed over requests)";

    /// <summary>The turn-away counters as one line.</summary>
    public static string DescribeRejections() =>
        $"401 before body {Volatile.Read(ref RejectedBeforeBody)}, bad signature {Volatile.Read(ref BadSignatures)}, slow body {Volatile.Read(ref SlowBodies)}, " +
        $"429 per key {Volatile.Read(ref ThrottledPerKey)}, 429 queue {Volatile.Read(ref ThrottledQueue)}, 422 implausible {Volatile.Read(ref Implausible)}";

    private static double Seconds(long stopwatchTicks) => (double)stopwatchTicks / Stopwatch.Frequency;
}
