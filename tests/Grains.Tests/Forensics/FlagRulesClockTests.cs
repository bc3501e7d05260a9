using Microsoft.Extensions.Time.Testing;
using Portal.Grains.Model;

namespace Portal.Grains.Tests.Forensics;

/// <summary>Camera changes carry the gateway's real time; the outage flag measures election time.</summary>
public sealed class FlagRulesClockTests
{
    [Fact]
    public void TheAcceleratedDemoClockMapsARealInstantIntoTheElectionDay()
    {
        var election = SyntheticElection.Generate(5, 1, Planting.None).Election;
        var catalog = SyntheticElection.Catalog(election);
        var real = new FakeTimeProvider(new DateTimeOffset(2026, 12, 3, 10, 0, 0, TimeSpan.Zero));
        // 14 election hours in 10 real minutes: 84 election seconds per real second, from 07:30.
        var clock = ElectionClock.Accelerated(catalog, new DemoOptions { DayMinutes = 10, DayHours = 14 }, real);
        var start = new DateTimeOffset(2024, 10, 27, 7, 30, 0, TimeSpan.FromHours(5));
        Assert.Equal(start, clock.ElectionTimeOf(real.GetUtcNow()));
        Assert.Equal(start.AddSeconds(84 * 10), clock.ElectionTimeOf(real.GetUtcNow().AddSeconds(10)));
        // A restart of 8 real seconds is an outage of more than 10 election minutes.
        Assert.True(clock.ElectionTimeOf(real.GetUtcNow().AddSeconds(8)) - clock.ElectionTimeOf(real.GetUtcNow()) > Portal.Grains.Forensics.FlagRules.CameraOfflineLongerThan);

        var normal = new ElectionClock(catalog, real);
        Assert.Equal(real.GetUtcNow(), normal.ElectionTimeOf(real.GetUtcNow()));
    }
}
