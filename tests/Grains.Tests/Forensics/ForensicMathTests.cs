using Portal.Grains.Forensics;

namespace Portal.Grains.Tests.Forensics;

public sealed class ForensicMathTests
{
    [Theory]
    [InlineData(57, 100, true)]
    [InlineData(408, 1853, true)]   // 22 % of 1,853 is 407.66: 408 is its nearest count
    [InlineData(407, 1853, false)]
    [InlineData(412, 1853, false)]
    [InlineData(0, 1853, true)]
    [InlineData(1853, 1853, true)]
    [InlineData(1, 3, true)]        // below 100 voters every count is within rounding of a whole percentage
    [InlineData(5, 0, false)]
    public void WholePercentIsTheNearestCountToAWholePercentage(long count, long n, bool expected) =>
        Assert.Equal(expected, ForensicMath.IsWholePercent(count, n));

    [Fact]
    public void TheChanceOfAWholePercentageIsAboutOneInAHundredthOfTheList()
    {
        // About 101 of the n + 1 possible counts are whole percentages, evenly spread: the binomial sum is close to 100/n.
        foreach (var n in new[] { 400, 1000, 1853, 3000 })
            foreach (var share in new[] { 0.3, 0.5, 0.62 })
            {
                var p = ForensicMath.WholePercentProbability((long)(n * share), n);
                Assert.InRange(p, 100.0 / n * 0.9, 100.0 / n * 1.1);
            }
        Assert.Equal(1, ForensicMath.WholePercentProbability(1000, 1000));
        Assert.Equal(1, ForensicMath.WholePercentProbability(0, 1000));
    }

    [Fact]
    public void ExactTailOfAPoissonBinomial()
    {
        Assert.Equal(0.75, ForensicMath.UpperTail([0.5, 0.5], 1), 12);
        Assert.Equal(0.25, ForensicMath.UpperTail([0.5, 0.5], 2), 12);
        Assert.Equal(0.1 * 0.2 * 0.3, ForensicMath.UpperTail([0.1, 0.2, 0.3], 3), 12);
        Assert.Equal(1, ForensicMath.UpperTail([0.1, 0.2], 0));
        Assert.Equal(0, ForensicMath.UpperTail([0.1, 0.2], 3));
    }

    [Fact]
    public void TheNormalApproximationAgreesWithTheExactTailWhereBothApply()
    {
        var random = new Random(7);
        var probabilities = Enumerable.Range(0, 2000).Select(_ => 0.03 + 0.05 * random.NextDouble()).ToList();
        var moments = new BernoulliMoments();
        foreach (var p in probabilities) moments.Add(p);
        foreach (var observed in new[] { 90, 110, 125, 140 })
            Assert.Equal(ForensicMath.UpperTail(probabilities, observed), moments.UpperTail(observed), 3);
    }

    [Fact]
    public void MomentsFollowAStationReplaced()
    {
        var moments = new BernoulliMoments();
        moments.Add(0.2);
        moments.Add(0.4);
        moments.Add(0.2, -1);
        moments.Add(0.1);
        Assert.Equal(0.5, moments.Mean, 12);
        Assert.Equal(0.4 * 0.6 + 0.1 * 0.9, moments.Variance, 12);
        Assert.Equal(2, moments.Count);
    }

    [Fact]
    public void ChiSquareOfUniformDigits()
    {
        var (chi, p) = ForensicMath.UniformChiSquare([100, 100, 100, 100, 100, 100, 100, 100, 100, 100]);
        Assert.Equal(0, chi);
        Assert.Equal(1, p, 12);
        // 29 up and 29 down: chi² = 2·29²/100 = 16.82, just under the 95th percentile of chi-square with 9 degrees of freedom (16.919).
        var (chi2, p2) = ForensicMath.UniformChiSquare([129, 71, 100, 100, 100, 100, 100, 100, 100, 100]);
        Assert.Equal(16.82, chi2, 9);
        Assert.Equal(0.0516, p2, 3);
        var (_, far) = ForensicMath.UniformChiSquare([1210, 980, 975, 990, 1002, 1190, 1001, 987, 610, 990]);
        Assert.True(far < 1e-40, $"p = {far}");
    }
}
