using MathNet.Numerics;

namespace Portal.Grains.Forensics;

/// <summary>
/// The statistics behind the observers' tests (docs/forensics.md): whole-number percentages after Kobak, Shpilkin and
/// Pshenichnikov (2016), last digits after Beber and Scacco (2012). Pure functions of counts; no state.
/// </summary>
public static class ForensicMath
{
    /// <summary>
    /// Below this denominator nearly every count is within rounding of some whole percentage (at n = 100 every one is),
    /// so a whole percentage says nothing: such stations are left out of the whole-percentage test and its flag.
    /// </summary>
    public const int MinWholePercentDenominator = 100;

    /// <summary>Binomial terms further than this many standard deviations from the mean are below 1e-11 and not summed.</summary>
    private const double Window = 7;

    /// <summary>
    /// Whether <paramref name="count"/> of <paramref name="n"/> is a whole percentage within what a count allows: the
    /// nearest count to k % of n for some whole k, i.e. −½ ≤ count − k·n/100 &lt; ½ (a tie goes to the lower count, so each
    /// whole percentage has exactly one count), or −50 ≤ 100·count − k·n &lt; 50.
    /// </summary>
    public static bool IsWholePercent(long count, long n)
    {
        if (n <= 0 || count < 0 || count > n) return false;
        var k = (200 * count + n) / (2 * n); // 100·count/n rounded half up: the nearest whole percentage
        var diff = 100 * count - k * n;
        return diff >= -50 && diff < 50;
    }

    /// <summary>
    /// The probability that a count of <paramref name="n"/> is a whole percentage by chance, the count being drawn as
    /// Binomial(n, p) with p the observed share <paramref name="count"/>/<paramref name="n"/> (the null model of Kobak et
    /// al.: the same station, the same list, no preference for round numbers). Summed exactly over the whole-percentage
    /// counts within seven standard deviations.
    /// </summary>
    public static double WholePercentProbability(long count, long n)
    {
        if (n <= 0 || count < 0 || count > n) return 0;
        if (count == 0 || count == n) return 1; // a degenerate binomial sits on 0 % or 100 %, both whole
        var p = (double)count / n;
        var sd = Math.Sqrt(n * p * (1 - p));
        var lo = Math.Max(0, (long)Math.Floor(n * p - Window * sd - 1));
        var hi = Math.Min(n, (long)Math.Ceiling(n * p + Window * sd + 1));
        double lnP = Math.Log(p), lnQ = Math.Log(1 - p), lnNFact = SpecialFunctions.FactorialLn((int)n);
        var sum = 0.0;
        var last = -1L;
        // The whole-percentage counts are the one or two counts nearest each k·n/100: visit those, not every count.
        for (var k = 100 * lo / n; k <= (100 * hi + n - 1) / n && k <= 100; k++)
        {
            var floor = k * n / 100;
            for (var c = floor; c <= floor + 1; c++)
            {
                if (c < lo || c > hi || c <= last || !IsWholePercent(c, n)) continue;
                last = c;
                sum += Math.Exp(lnNFact - SpecialFunctions.FactorialLn((int)c) - SpecialFunctions.FactorialLn((int)(n - c)) + c * lnP + (n - c) * lnQ);
            }
        }
        return Math.Min(1, sum);
    }

    /// <summary>
    /// P(X ≥ <paramref name="observed"/>) for X a sum of independent Bernoulli variables with the given probabilities
    /// (a Poisson-binomial): exact by dynamic programming up to <see cref="ExactTailLimit"/> of them, else the
    /// skew-corrected normal approximation (Volkova 1996) from the three moments.
    /// </summary>
    public static double UpperTail(IReadOnlyList<double> probabilities, int observed)
    {
        if (observed <= 0) return 1;
        if (observed > probabilities.Count) return 0;
        if (probabilities.Count <= ExactTailLimit) return ExactUpperTail(probabilities, observed);
        var moments = new BernoulliMoments();
        foreach (var p in probabilities) moments.Add(p);
        return moments.UpperTail(observed);
    }

    /// <summary>Up to this many stations the tail is computed exactly (O(n²): 4 million steps at 2,000).</summary>
    public const int ExactTailLimit = 2000;

    private static double ExactUpperTail(IReadOnlyList<double> probabilities, int observed)
    {
        // dist[j] = P(exactly j successes so far); everything at or above `observed` is folded into the last slot.
        var dist = new double[observed + 1];
        dist[0] = 1;
        var reach = 0;
        foreach (var p in probabilities)
        {
            reach = Math.Min(observed, reach + 1);
            dist[observed] += dist[observed - 1] * p; // reaching the threshold: stays there whatever follows
            for (var j = Math.Min(reach, observed - 1); j >= 1; j--) dist[j] = dist[j] * (1 - p) + dist[j - 1] * p;
            dist[0] *= 1 - p;
        }
        return Math.Clamp(dist[observed], 0, 1);
    }

    /// <summary>Pearson's chi-square of digit counts against the uniform distribution, and its p-value (9 degrees of freedom).</summary>
    public static (double ChiSquare, double PValue) UniformChiSquare(IReadOnlyList<long> counts)
    {
        long total = 0;
        foreach (var c in counts) total += c;
        if (total == 0 || counts.Count < 2) return (0, 1);
        var expected = (double)total / counts.Count;
        var chi = 0.0;
        foreach (var c in counts) chi += (c - expected) * (c - expected) / expected;
        // The upper regularized gamma keeps precision far out in the tail, where 1 − CDF would round to 0.
        return (chi, SpecialFunctions.GammaUpperRegularized((counts.Count - 1) / 2.0, chi / 2));
    }

    /// <summary>The upper tail of the standard normal, accurate far out (erfc, not 1 − Φ).</summary>
    public static double NormalUpperTail(double z) => 0.5 * SpecialFunctions.Erfc(z / Math.Sqrt(2));
}

/// <summary>
/// Running first three moments of a sum of independent Bernoulli variables: added and removed one station at a time,
/// so a selection's expectation, variance and skew follow each new protocol without a pass over every station.
/// </summary>
public struct BernoulliMoments
{
    public double Mean { get; private set; }
    public double Variance { get; private set; }
    public double ThirdCentral { get; private set; }
    public int Count { get; private set; }

    public void Add(double p, int sign = 1)
    {
        Mean += sign * p;
        Variance += sign * p * (1 - p);
        ThirdCentral += sign * p * (1 - p) * (1 - 2 * p);
        Count += sign;
    }

    /// <summary>P(X ≥ observed), skew-corrected normal approximation with continuity correction (Volkova 1996).</summary>
    public readonly double UpperTail(int observed)
    {
        if (observed <= 0) return 1;
        if (observed > Count) return 0;
        if (Variance <= 1e-12) return observed <= Mean + 1e-9 ? 1 : 0;
        var sd = Math.Sqrt(Variance);
        var x = (observed - 0.5 - Mean) / sd;
        var gamma = ThirdCentral / (sd * sd * sd);
        var density = Math.Exp(-x * x / 2) / Math.Sqrt(2 * Math.PI);
        // P(X ≤ k) ≈ Φ(x) + γ(1 − x²)φ(x)/6, so the upper tail is 1 − Φ(x) − γ(1 − x²)φ(x)/6.
        return Math.Clamp(ForensicMath.NormalUpperTail(x) - gamma * (1 - x * x) * density / 6, 0, 1);
    }
}
