using Portal.Grains.Demo;
using Portal.Grains.Model;

namespace Portal.Ingest.Tests.Infrastructure;

/// <summary>A small hand-made election: two contests, three constituencies, six stations, with fresh keys.</summary>
public static class TestElection
{
    public const string Id = "test-2024";
    public static readonly DateTimeOffset PollsOpen = new(2024, 10, 27, 8, 0, 0, TimeSpan.FromHours(5));
    public static readonly DateTimeOffset PollsClose = new(2024, 10, 27, 20, 0, 0, TimeSpan.FromHours(5));
    public static readonly DateTimeOffset DuringVoting = new(2024, 10, 27, 12, 0, 0, TimeSpan.FromHours(5));
    public static readonly DateTimeOffset AfterClose = new(2024, 10, 27, 21, 0, 0, TimeSpan.FromHours(5));

    public static (ElectionDefinition Election, List<StationPublicKey> Public, List<StationPrivateKey> Private) Create()
    {
        static CandidateDefinition C(string id) => new() { Id = id, Name = $"Candidate {id}", Party = "p" };
        static StationDefinition S(string id, int number, string region, int voters, params (string Contest, string Constituency)[] votes) => new()
        {
            Id = id, Number = number, RegionId = region, Address = $"School {number}", VotersOnList = voters,
            Constituencies = votes.ToDictionary(v => v.Contest, v => v.Constituency),
            Cameras = [new CameraDefinition { Id = $"cam-{id}-a", Source = "rtsp://user:secret@10.0.0.5/stream1" }],
        };
        var election = new ElectionDefinition
        {
            Id = Id, Name = new() { ["en"] = "Test election" }, TimeZone = "Asia/Tashkent", PollsOpen = PollsOpen, PollsClose = PollsClose,
            Parties = [new PartyDefinition { Id = "p", Name = new() { ["en"] = "Party" } }],
            Regions = [new RegionDefinition { Id = "r1", Name = new() { ["en"] = "Region 1" } }, new RegionDefinition { Id = "r2", Name = new() { ["en"] = "Region 2" } }],
            Contests =
            [
                new ContestDefinition { Id = "legislative", Kind = "legislative", Name = new() { ["en"] = "Legislative" }, Constituencies =
                [
                    new ConstituencyDefinition { Id = "1", RegionId = "r1", Name = new() { ["en"] = "One" }, Candidates = [C("c-1-1"), C("c-1-2"), C("c-1-3")] },
                    new ConstituencyDefinition { Id = "2", RegionId = "r2", Name = new() { ["en"] = "Two" }, Candidates = [C("c-2-1"), C("c-2-2")] },
                ] },
                new ContestDefinition { Id = "council", Kind = "regional-council", Name = new() { ["en"] = "Council" }, Constituencies =
                [
                    new ConstituencyDefinition { Id = "A", RegionId = "r1", Name = new() { ["en"] = "A" }, Candidates = [C("a-1"), C("a-2")] },
                ] },
            ],
            Stations =
            [
                S("s1", 1, "r1", 1000, ("legislative", "1"), ("council", "A")),
                S("s2", 2, "r1", 1200, ("legislative", "1"), ("council", "A")),
                S("s3", 3, "r1", 800, ("legislative", "1")),
                S("s4", 4, "r2", 1500, ("legislative", "2")),
                S("s5", 5, "r2", 900, ("legislative", "2")),
                S("s6", 6, "r2", 700, ("legislative", "2")),
            ],
        };
        var (pub, priv) = DemoElectionGenerator.GenerateKeys(election.Stations);
        return (election, pub, priv);
    }
}
