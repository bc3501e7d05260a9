using Portal.Grains.Abstractions;
using Portal.Grains.Ledger;
using Portal.Grains.Results;

namespace Portal.Grains.Tests;

/// <summary>Art. 59, 96 through the grains: each test owns one constituency of the fixture's election.</summary>
[Collection(SiloCollection.Name)]
public sealed class OutcomeTests(SiloFixture fixture)
{
    private static readonly SignedRequest Unsigned = new("k", 0, "POST", "/", "", "", "");

    private static ProtocolSubmission Protocol(string id, string constituency, int list, params int[] votes)
    {
        var inBoxes = votes.Sum() + 10;
        var issued = inBoxes + 2;
        return new ProtocolSubmission(id, "leg", list, issued + 100, issued, inBoxes, 10, 0, 100,
            votes.Select((v, i) => (v, i)).ToDictionary(x => $"{constituency}-{x.i + 1}", x => x.v), null, null);
    }

    private async Task SubmitAsync(string station, ProtocolSubmission protocol)
    {
        var result = await fixture.Grains.GetGrain<IPollingStationGrain>(GrainKeys.Station(SiloFixture.ElectionId, station))
            .SubmitProtocolAsync(protocol, Unsigned, DateTimeOffset.UtcNow);
        Assert.Equal(SubmissionStatus.Created, result.Status);
    }

    private Task<ConstituencyResults> ResultsAsync(string constituency) =>
        fixture.Grains.GetGrain<IConstituencyGrain>(GrainKeys.Constituency(SiloFixture.ElectionId, "leg", constituency)).GetResultsAsync();

    [Fact]
    public async Task CandidateWithMoreThanHalfOfVotesCastWins()
    {
        await SubmitAsync("W1", Protocol("w1", "W", 1000, 400, 100, 50));
        await SubmitAsync("W2", Protocol("w2", "W", 1000, 300, 150, 50));
        var results = await ResultsAsync("W");
        Assert.Equal(OutcomeKind.Elected, results.Outcome!.Kind);
        Assert.Equal("W-1", results.Outcome.WinnerId);
        Assert.Equal(1070, results.Totals!.BallotsInBoxes);
        Assert.Equal(700, results.Totals.CandidateVotes["W-1"]);
    }

    [Fact]
    public async Task NoMajorityMeansRepeatVoteBetweenTheTopTwo()
    {
        await SubmitAsync("R1", Protocol("r1", "R", 1000, 200, 250, 150));
        await SubmitAsync("R2", Protocol("r2", "R", 1000, 150, 120, 100));
        var results = await ResultsAsync("R");
        Assert.Equal(OutcomeKind.RepeatVote, results.Outcome!.Kind);
        Assert.Null(results.Outcome.WinnerId);
        Assert.Equal(["R-2", "R-1"], results.Outcome.RepeatVoteCandidateIds);
    }

    [Fact]
    public async Task TurnoutBelowAThirdOfTheListMeansNotConducted()
    {
        await SubmitAsync("N1", Protocol("n1", "N", 1000, 250, 30, 20));
        await SubmitAsync("N2", Protocol("n2", "N", 1000, 250, 30, 30));
        var results = await ResultsAsync("N");
        Assert.Equal(OutcomeKind.NotConducted, results.Outcome!.Kind);
        Assert.True(results.Outcome.TurnoutPercent < 33);
    }

    [Fact]
    public async Task MissingStationsKeepTheOutcomePendingWithTheCountReported()
    {
        await SubmitAsync("P1", Protocol("p1", "P", 1000, 500, 10, 10));
        await SubmitAsync("P3", Protocol("p3", "P", 1000, 500, 10, 10));
        var results = await ResultsAsync("P");
        Assert.Equal(OutcomeKind.Pending, results.Outcome!.Kind);
        Assert.Equal(2, results.Outcome.StationsReported);
        Assert.Equal(3, results.Outcome.StationsTotal);
        Assert.Equal("missing", results.Stations.Single(s => s.StationId == "P2").Status);
    }

    [Fact]
    public async Task InvalidatedStationIsExcludedFromTotalsAndMarked()
    {
        await SubmitAsync("I1", Protocol("i1", "I", 1000, 100, 300, 50));
        await SubmitAsync("I2", Protocol("i2", "I", 1000, 400, 10, 10));
        var before = await ResultsAsync("I");
        Assert.Equal(OutcomeKind.Elected, before.Outcome!.Kind);
        Assert.Equal("I-1", before.Outcome.WinnerId);

        var head = await fixture.Ledger.GetHeadAsync(TestContext.Current.CancellationToken);
        var receipt = await fixture.Grains.GetGrain<IPollingStationGrain>(GrainKeys.Station(SiloFixture.ElectionId, "I2"))
            .InvalidateAsync(new StationInvalidation("leg", "CEC-2024-117", "ballot stuffing seen on camera"));
        Assert.True(receipt.LedgerSeq > head.Seq);
        var entry = Assert.Single(await fixture.Ledger.ReadStationsAsync(["I2"], TestContext.Current.CancellationToken), e => e.Kind == LedgerKinds.Invalidation);
        Assert.Contains("CEC-2024-117", entry.Payload);

        var after = await ResultsAsync("I");
        Assert.Equal(1, after.StationsInvalidated);
        Assert.Equal(100, after.Totals!.CandidateVotes["I-1"]);
        Assert.Equal(300, after.Totals.CandidateVotes["I-2"]);
        var row = after.Stations.Single(s => s.StationId == "I2");
        Assert.Equal("invalidated", row.Status);
        Assert.Equal("CEC-2024-117", row.DecisionId);
        // The outcome no longer waits for the invalidated station and follows the remaining one.
        Assert.Equal(OutcomeKind.Elected, after.Outcome!.Kind);
        Assert.Equal("I-2", after.Outcome.WinnerId);
        var details = await fixture.Grains.GetGrain<IPollingStationGrain>(GrainKeys.Station(SiloFixture.ElectionId, "I2")).GetDetailsAsync();
        Assert.True(Assert.Single(details.Invalidations).Invalidated);
    }
}

public sealed class OutcomeRuleTests
{
    private static Tally Tally(long list, long issued, params long[] votes) =>
        new(list, issued + 10, issued, issued, 0, 0, 10, votes.Select((v, i) => (v, i)).ToDictionary(x => $"c{x.i + 1}", x => x.v));

    [Fact]
    public void ExactlyHalfIsNotAMajority() =>
        Assert.Equal(OutcomeKind.RepeatVote, OutcomeRules.Decide(Tally(1000, 600, 300, 200, 100), 1, 1).Kind);

    [Fact]
    public void OneVoteOverHalfWins() =>
        Assert.Equal("c1", OutcomeRules.Decide(Tally(1000, 600, 301, 199, 100), 1, 1).WinnerId);

    [Fact]
    public void ExactlyAThirdIsConductedAndJustBelowIsNot()
    {
        Assert.Equal(OutcomeKind.Elected, OutcomeRules.Decide(Tally(1000, 330, 300, 30), 1, 1).Kind);
        Assert.Equal(OutcomeKind.NotConducted, OutcomeRules.Decide(Tally(1000, 329, 300, 29), 1, 1).Kind);
    }

    [Fact]
    public void TiesForSecondPlaceAreBrokenByCandidateIdSoTheResultIsStable() =>
        Assert.Equal(["c1", "c2"], OutcomeRules.Decide(Tally(1000, 600, 250, 150, 150), 1, 1).RepeatVoteCandidateIds);
}
