using System.Text.Json;
using Portal.Grains.Abstractions;
using Portal.Grains.Live;

namespace Portal.Grains.Tests;

public sealed class LiveJsonTests
{
    [Fact]
    public void ConstituencyResultsFromCachedRowsEqualsTheWholeSerialisation()
    {
        // A name that contains the splice marker must not confuse the splice (inside a string its quotes are escaped).
        var info = new ConstituencyInfo("e1", "c1", "k1", "r1", new Dictionary<string, string> { ["en"] = "\"stations\":[] tricky" },
            [new CandidateInfo("a", "A", new Dictionary<string, string>(), "P"), new CandidateInfo("b", "B", new Dictionary<string, string>(), "Q")],
            ["s1", "s2", "s3"], 3000);
        var tally = new Tally(1000, 900, 600, 600, 10, 5, 295, new Dictionary<string, long> { ["a"] = 400, ["b"] = 190 });
        var outcome = new Outcome(OutcomeKind.Pending, null, [], 2, 3, 60);
        ConstituencyStationRow[] rows =
        [
            new("s1", "reported", 1, 7, "h1", tally, null),
            new("s2", "invalidated", 2, 9, "h2", null, "d-1"),
            new("s3", "missing", null, null, null, null, null),
        ];
        var full = new ConstituencyResults(info, true, 3, 1, 1, tally, outcome, rows);

        var composed = LiveJson.ConstituencyResults(full, [.. rows.Select(r => JsonSerializer.Serialize(r, LiveJson.Options))]);

        Assert.Equal(JsonSerializer.Serialize(full, LiveJson.Options), composed);
        Assert.Equal(JsonSerializer.Serialize(full with { Stations = [] }, LiveJson.Options), LiveJson.ConstituencyResults(full, []));
    }
}
