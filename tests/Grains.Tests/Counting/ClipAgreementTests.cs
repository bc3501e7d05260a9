using Portal.Grains.Counting;

namespace Portal.Grains.Tests.Counting;

public sealed class ClipAgreementTests
{
    private static ClipOutcome Evaluate(params int[] counts) => ClipAgreement.Evaluate([.. counts.Select(c => new WeightedCount(c, 0.5))], 3, 5);

    [Fact]
    public void ThreeCloseCountsSettleAClip()
    {
        var outcome = Evaluate(40, 41, 42);
        Assert.Equal(ClipStatus.Settled, outcome.Status);
        Assert.Equal(41, outcome.Published);
        Assert.Equal(2, outcome.Spread);
    }

    [Fact]
    public void TwoCountsAreNotEnough() => Assert.Equal(ClipStatus.Open, Evaluate(40, 40).Status);

    [Fact]
    public void AWideSpreadAsksForMoreCounts()
    {
        Assert.Equal(ClipStatus.NeedsMore, Evaluate(40, 41, 80).Status);
        Assert.Equal(ClipStatus.NeedsMore, Evaluate(40, 41, 80, 20).Status);
        Assert.Null(Evaluate(40, 41, 80).Published);
    }

    [Fact]
    public void FiveCountsSettleAClipAnywayAtTheirMedian()
    {
        var outcome = Evaluate(40, 41, 80, 20, 42);
        Assert.Equal(ClipStatus.Settled, outcome.Status);
        Assert.Equal(41, outcome.Published);
        Assert.Equal(60, outcome.Spread);
    }

    [Fact]
    public void FivePercentOfABusyClipStillAgrees()
    {
        // max(2, 5 % of 100) = 5: a spread of 5 agrees, 6 does not.
        Assert.Equal(ClipStatus.Settled, Evaluate(100, 103, 105).Status);
        Assert.Equal(ClipStatus.NeedsMore, Evaluate(100, 103, 106).Status);
        // Two ballots apart always agree, however small the clip.
        Assert.Equal(ClipStatus.Settled, Evaluate(3, 5, 4).Status);
        Assert.Equal(ClipStatus.NeedsMore, Evaluate(3, 6, 4).Status);
    }

    [Fact]
    public void ExcludedVolunteersDoNotCountTowardsTheThree()
    {
        var outcome = ClipAgreement.Evaluate([new(40, 0.5), new(41, 0.5), new(20, 0)], 3, 5);
        Assert.Equal(ClipStatus.Open, outcome.Status);
        Assert.Equal(2, outcome.Counts);
    }

    [Fact]
    public void TheMedianIsWeightedByAccuracy()
    {
        // Two low-weight counts of 20 against one trusted count of 40 and one of 41.
        var sorted = new List<WeightedCount> { new(20, 0.2), new(20, 0.2), new(40, 0.9), new(41, 0.9) };
        Assert.Equal(40, ClipAgreement.WeightedMedian(sorted));
    }

    [Fact]
    public void AKnownAnswerRecordWeighsOrExcludes()
    {
        Assert.Equal(0.5, ClipAgreement.Weight(0, 0));
        Assert.Equal(0, ClipAgreement.Weight(1, 0));
        Assert.Equal(0, ClipAgreement.Weight(3, 1));
        Assert.True(ClipAgreement.Weight(4, 4) > ClipAgreement.Weight(4, 3));
        Assert.True(ClipAgreement.IsRight(41, 40));
        Assert.False(ClipAgreement.IsRight(20, 40));
        Assert.True(ClipAgreement.IsRight(104, 100));
        Assert.False(ClipAgreement.IsRight(106, 100));
    }
}
