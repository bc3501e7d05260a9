using System.Net.Http.Json;
using System.Text.Json;
using Portal.Grains.Model;
using Portal.Ingest.Tests.Infrastructure;
using Portal.Ingest.Verification;

namespace Portal.Ingest.Tests;

public sealed class SimulatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DemoDayShowsTurnoutRisingAndResultsAfterClose()
    {
        var election = TestElection.Create();
        using var temp = new TempDirectory("simulator-");
        var dir = temp.Path;
        var keys = Path.Combine(dir, "station-keys.private.csv");
        StationKeyFiles.WritePrivate(keys, election.Private);
        // 14 election hours in 24 real seconds.
        await using var host = await PortalTestHost.StartAsync(TestElection.DuringVoting, dir, election, new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true", ["Demo:DayMinutes"] = "0.4",
            ["Simulator:Enabled"] = "true", ["Simulator:PrivateKeysPath"] = keys, ["Simulator:Concurrency"] = "4",
            ["Simulator:CorrectionPercent"] = "100", ["Simulator:LatePercent"] = "0",
        });
        var url = $"/api/v1/elections/{TestElection.Id}";
        var sawTurnoutBeforeClose = false;
        await Wait.UntilAsync(async () =>
        {
            var e = await host.Http.GetFromJsonAsync<JsonElement>(url, Ct);
            if (!e.GetProperty("resultsPublic").GetBoolean())
            {
                Assert.All(e.GetProperty("contests").EnumerateArray(), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("results").ValueKind));
                sawTurnoutBeforeClose |= e.GetProperty("turnout").GetProperty("votersIssuedBallots").GetInt64() > 0;
                return false;
            }
            return e.GetProperty("status").GetString() == "reported";
        }, "every station reporting after close", TimeSpan.FromSeconds(150));
        Assert.True(sawTurnoutBeforeClose, "turnout was published during the day");

        var station = await host.Http.GetFromJsonAsync<JsonElement>($"{url}/stations/s4", Ct);
        var timeline = station.GetProperty("turnoutTimeline").EnumerateArray().Select(t => t.GetProperty("votersIssuedBallots").GetInt32()).ToList();
        Assert.Equal(6, timeline.Count);
        Assert.Equal(timeline.Order(), timeline);
        Assert.True(timeline[^1] > timeline[0]);
        // CorrectionPercent 100: every protocol got a second version superseding the first.
        await Wait.UntilAsync(async () =>
        {
            var s = await host.Http.GetFromJsonAsync<JsonElement>($"{url}/stations/s4", Ct);
            return s.GetProperty("protocols").EnumerateArray().Any(p => p.GetProperty("version").GetInt32() == 2);
        }, "corrections", TimeSpan.FromSeconds(60));
        var verification = await new LedgerVerifier(host.Http).VerifyAsync(Ct);
        Assert.True(verification.Ok, verification.ToString());
    }
}
