using Portal.Grains.Abstractions;
using Portal.Grains.Counting;

namespace Portal.Grains.Tests.Counting;

/// <summary>Simulated volunteers counting every clip of the demo's ballot-box cameras, checked against the scene's truth.</summary>
public sealed class CrowdCountingTests
{
    private enum Kind { Honest, Halves, Doubles }

    [Fact]
    public async Task AnHonestCrowdWithAFifthLyingPublishesTheTruthAndTheLiarsAreExcluded()
    {
        using var dir = new TempDirectory("counting-crowd-");
        await using var host = new CountingHost(dir.Path);
        await host.StartAsync();
        var grain = host.Grains.GetGrain<ICountingGrain>(host.ElectionId);
        var random = new Random(18);
        // 60 volunteers, every fifth reporting half or double the count of every clip they are given.
        var volunteers = Enumerable.Range(0, 60).Select(i => (Id: $"v{i:D2}", Kind: i % 5 != 0 ? Kind.Honest : i % 10 == 0 ? Kind.Halves : Kind.Doubles)).ToList();
        var plan = host.Plan;
        for (var round = 0; round < 200; round++)
        {
            var submitted = 0;
            foreach (var (id, kind) in volunteers.OrderBy(_ => random.Next()))
            {
                var task = await grain.NextTaskAsync(id);
                if (task is null) continue;
                var truth = plan.DemoTruth(task.Clip)!.Value;
                var count = kind switch
                {
                    Kind.Halves => truth / 2,
                    Kind.Doubles => truth * 2,
                    // Honest people miss or double-press now and then.
                    _ => random.NextDouble() switch { < 0.90 => truth, < 0.98 => Math.Max(0, truth + (random.Next(2) * 2 - 1)), _ => Math.Max(0, truth + (random.Next(2) * 4 - 2)) },
                };
                var result = await grain.SubmitAsync(id, task.Clip.Id, count, count);
                Assert.Equal(CountSubmitOutcome.Accepted, result.Outcome);
                submitted++;
            }
            var clips = await grain.GetClipsAsync();
            if (clips.All(c => c.Status == ClipStatus.Settled)) break;
            Assert.True(submitted > 0, "volunteers got no task while clips were still open");
        }

        var results = (await grain.GetClipsAsync()).Where(c => !c.KnownAnswer).ToList();
        Assert.True(results.Count > 80, $"only {results.Count} clips");
        Assert.All(results, r => Assert.Equal(ClipStatus.Settled, r.Status));
        var within = results.Count(r => Math.Abs(r.Published!.Value - plan.DemoTruth(r.Clip)!.Value) <= 0.05 * plan.DemoTruth(r.Clip)!.Value);
        var share = (double)within / results.Count;
        Assert.True(share >= 0.95, $"{within} of {results.Count} clips published within 5 % of the truth");

        var summary = await grain.GetSummaryAsync();
        var liars = volunteers.Count(v => v.Kind != Kind.Honest);
        Assert.Equal(volunteers.Count, summary.Volunteers);
        Assert.True(summary.VolunteersExcluded >= liars * 0.9, $"{summary.VolunteersExcluded} excluded of {liars} liars");
        Assert.True(summary.VolunteersExcluded <= liars + 2, $"{summary.VolunteersExcluded} excluded: honest volunteers among them");
        TestContext.Current.SendDiagnosticMessage($"crowd: {within}/{results.Count} clips within 5 % ({share:P1}), {summary.VolunteersExcluded} excluded of {liars} liars");
    }

    [Fact]
    public async Task CountsSurviveARestartAndAClipIsNotCountedTwiceByOneVolunteer()
    {
        using var dir = new TempDirectory("counting-restart-");
        string clipId;
        await using (var host = new CountingHost(dir.Path))
        {
            await host.StartAsync();
            var grain = host.Grains.GetGrain<ICountingGrain>(host.ElectionId);
            var task = (await grain.NextTaskAsync("alice"))!;
            clipId = task.Clip.Id;
            Assert.Equal(CountSubmitOutcome.Accepted, (await grain.SubmitAsync("alice", clipId, 7, 7)).Outcome);
            Assert.Equal(CountSubmitOutcome.AlreadyCounted, (await grain.SubmitAsync("alice", clipId, 8, 8)).Outcome);
        }
        await using (var host = new CountingHost(dir.Path))
        {
            await host.StartAsync();
            var grain = host.Grains.GetGrain<ICountingGrain>(host.ElectionId);
            Assert.Equal(CountSubmitOutcome.AlreadyCounted, (await grain.SubmitAsync("alice", clipId, 8, 8)).Outcome);
            Assert.Equal(1, (await grain.GetClipsAsync()).Single(c => c.Clip.Id == clipId).Counts);
            Assert.Equal(1, (await grain.GetSummaryAsync()).Volunteers);
            Assert.NotEqual(clipId, (await grain.NextTaskAsync("alice"))!.Clip.Id);
        }
    }

    [Fact]
    public void TheSceneSharesOutEachWindowsHonestIncreaseOverItsClips()
    {
        var catalog = CountingHost.Catalog;
        var plan = new ClipPlan(catalog, 40);
        var scene = new DemoBallotScene(catalog, plan, 2024);
        var camera = catalog.Cameras.First(c => c.Enabled && c.SeesBallotBox);
        var station = catalog.FindCamera(camera.Id)!.Value.Station;
        Assert.Equal(6, plan.Windows.Count);
        foreach (var window in plan.Windows)
        {
            var clips = plan.ClipsOf(camera.Id).Where(c => c.Window == window.Index).ToList();
            Assert.Equal(3, clips.Count);
            Assert.Equal(scene.WindowIncrease(station, window), clips.Sum(scene.CountOf));
            Assert.All(clips, c => Assert.All(scene.DropsOf(c), d => Assert.InRange(d, c.Start + c.Length * 0.1, c.End - c.Length * 0.1)));
        }
        Assert.Equal(Demo.DemoTurnout.HonestIssued(station, 2024, 20), plan.ClipsOf(camera.Id).Sum(scene.CountOf));
    }
}
