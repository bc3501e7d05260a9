using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.Grains.Results;

namespace Portal.TestSupport;

/// <summary>How many stations of a synthetic election carry each planted manipulation (disjoint sets of stations).</summary>
public sealed record Planting(int Stuffed, int WholeTurnout, int RoundedTallies)
{
    public static readonly Planting None = new(0, 0, 0);
}

/// <summary>
/// A seeded synthetic election for the statistics' known answers: lists of 400 to 3,000 voters, turnout around 62 %,
/// three parties per constituency with party "p-a" ahead, every count drawn from a smooth distribution and rounded
/// (so no whole-number preference and uniform last digits), as honest counting gives. With a <see cref="Planting"/>
/// the same election has stuffed stations (turnout and leader share near 100 %), stations whose turnout was written
/// as a whole percentage and stations whose tallies were rounded to 0 or 5.
/// </summary>
public static class SyntheticElection
{
    public const string ElectionId = "synthetic";
    public const string Leader = "p-a";
    public static readonly DateTimeOffset PollsOpen = new(2024, 10, 27, 8, 0, 0, TimeSpan.FromHours(5));
    public static readonly DateTimeOffset PollsClose = new(2024, 10, 27, 20, 0, 0, TimeSpan.FromHours(5));

    public sealed record Result(ElectionDefinition Election, List<LedgerEntry> Entries, HashSet<string> Stuffed, HashSet<string> WholeTurnout, HashSet<string> RoundedTallies);

    public static Result Generate(int stations, int seed, Planting planting, string[]? contests = null, int constituencies = 40)
    {
        contests ??= ["legislative"];
        var random = new Random(seed);
        var parties = new[] { "p-a", "p-b", "p-c" };
        var builder = TestElections.Create(ElectionId).Named("Synthetic").Polls(PollsOpen, PollsClose).Region("r1", "R1").Region("r2", "R2");
        foreach (var p in parties) builder.Party(p, p);
        foreach (var c in contests)
            builder.Contest(c, "legislative", contest =>
            {
                for (var k = 1; k <= constituencies; k++)
                    contest.Constituency($"{k}", k % 2 == 0 ? "r2" : "r1", $"K{k}", parties.Select(p => TestElections.Candidate($"{c}-{k}-{p}", p, p)));
            }, c);
        for (var i = 0; i < stations; i++)
        {
            var k = i % constituencies + 1;
            builder.Station($"s{i + 1:D6}", k % 2 == 0 ? "r2" : "r1", random.Next(400, 3001), contests.Select(c => (c, $"{k}")),
                [TestElections.Camera($"cam-s{i + 1:D6}", "demo")], address: $"School {i + 1}");
        }
        var election = builder.Build();
        // Disjoint planted sets, chosen by a second generator so the honest figures are the same with or without them.
        var pick = new Random(seed ^ 0x5eed);
        var order = election.Stations.Select(s => s.Id).OrderBy(_ => pick.Next()).ToList();
        var stuffed = order.Take(planting.Stuffed).ToHashSet();
        var whole = order.Skip(planting.Stuffed).Take(planting.WholeTurnout).ToHashSet();
        var rounded = order.Skip(planting.Stuffed + planting.WholeTurnout).Take(planting.RoundedTallies).ToHashSet();

        var entries = new List<LedgerEntry>();
        var prev = LedgerHash.Genesis;
        foreach (var contest in contests)
            foreach (var station in election.Stations)
            {
                var p = Honest(random, station, contest);
                if (stuffed.Contains(station.Id)) p = Stuff(pick, p, contest, station);
                if (whole.Contains(station.Id)) p = WholeTurnout(p);
                if (rounded.Contains(station.Id)) p = RoundTallies(p);
                var entry = LedgerEntry.Create(entries.Count + 1, prev, new LedgerAppend(LedgerKinds.Protocol, station.Id, LedgerPayloads.Protocol(p, 1), PollsClose.AddHours(1), null));
                entries.Add(entry);
                prev = entry.Hash;
            }
        return new Result(election, entries, stuffed, whole, rounded);
    }

    public static ElectionCatalog Catalog(ElectionDefinition election) => new(election, []);

    /// <summary>A protocol entry for <paramref name="p"/> appended after <paramref name="after"/>.</summary>
    public static LedgerEntry Entry(LedgerEntry? after, string stationId, ProtocolSubmission p, int version) =>
        LedgerEntry.Create((after?.Seq ?? 0) + 1, after?.Hash ?? LedgerHash.Genesis,
            new LedgerAppend(LedgerKinds.Protocol, stationId, LedgerPayloads.Protocol(p, version), PollsClose.AddHours(2), null));

    public static ProtocolSubmission Honest(Random random, StationDefinition station, string contest)
    {
        var list = station.VotersOnList;
        var turnout = Math.Clamp(0.62 + 0.08 * Gaussian(random), 0.2, 0.9);
        var issued = Round(list * turnout + Gaussian(random) * 3, 0, list);
        var inBoxes = Math.Max(0, issued - random.Next(0, 4));
        var invalid = Math.Min(inBoxes, Round(inBoxes * 0.015 + Gaussian(random) * 2, 0, inBoxes));
        var valid = inBoxes - invalid;
        var shareA = Math.Clamp(0.46 + 0.07 * Gaussian(random), 0.2, 0.75);
        var a = Round(valid * shareA, 0, valid);
        var b = Round((valid - a) * Math.Clamp(0.6 + 0.1 * Gaussian(random), 0.3, 0.9), 0, valid - a);
        return Protocol(station, contest, issued, inBoxes, invalid, a, b, valid - a - b);
    }

    private static ProtocolSubmission Stuff(Random random, ProtocolSubmission honest, string contest, StationDefinition station)
    {
        // Ballots added for the leader until turnout is 96-100 %, and some of the others' ballots moved to it.
        var list = station.VotersOnList;
        var issued = Round(list * (0.96 + 0.04 * random.NextDouble()), 0, list);
        var inBoxes = issued;
        var invalid = random.Next(0, 4);
        var valid = inBoxes - invalid;
        var others = Round(valid * (0.01 + 0.06 * random.NextDouble()), 0, valid);
        var b = others / 2;
        return Protocol(station, contest, issued, inBoxes, invalid, valid - others, b, others - b) with { SubmissionId = honest.SubmissionId };
    }

    private static ProtocolSubmission WholeTurnout(ProtocolSubmission p)
    {
        // The turnout written in as a round figure: ballots issued set to the count of the nearest whole percentage.
        var k = (int)Math.Round(100.0 * p.VotersIssuedBallots / p.VotersOnList);
        var issued = (int)Math.Ceiling(p.VotersOnList * k / 100.0 - 0.5); // the nearest count, a tie to the lower (ForensicMath.IsWholePercent)
        var delta = issued - p.VotersIssuedBallots;
        var votes = p.CandidateVotes.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var first = votes.Keys.Order(StringComparer.Ordinal).First();
        votes[first] = Math.Max(0, votes[first] + delta);
        var inBoxes = votes.Values.Sum() + p.InvalidBallots;
        return p with { VotersIssuedBallots = issued, BallotsInBoxes = Math.Min(inBoxes, issued), CandidateVotes = votes,
            UnusedBallots = p.BallotsReceived - issued - p.SpoiledBallots };
    }

    private static ProtocolSubmission RoundTallies(ProtocolSubmission p)
    {
        var votes = p.CandidateVotes.ToDictionary(kv => kv.Key, kv => (int)(Math.Round(kv.Value / 5.0) * 5), StringComparer.Ordinal);
        var inBoxes = votes.Values.Sum() + p.InvalidBallots;
        var issued = Math.Min(p.VotersOnList, Math.Max(p.VotersIssuedBallots, inBoxes));
        return p with { CandidateVotes = votes, BallotsInBoxes = inBoxes, VotersIssuedBallots = issued, UnusedBallots = p.BallotsReceived - issued - p.SpoiledBallots };
    }

    private static ProtocolSubmission Protocol(StationDefinition station, string contest, int issued, int inBoxes, int invalid, int a, int b, int c)
    {
        var k = station.Constituencies[contest];
        var received = station.VotersOnList + 20;
        return new ProtocolSubmission($"{station.Id}-{contest}", contest, station.VotersOnList, received, issued, inBoxes, invalid, 2,
            received - issued - 2, new Dictionary<string, int> { [$"{contest}-{k}-p-a"] = a, [$"{contest}-{k}-p-b"] = b, [$"{contest}-{k}-p-c"] = c }, null, null);
    }

    private static int Round(double value, int min, int max) => (int)Math.Clamp(Math.Round(value), min, max);

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
