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
        static CandidateDefinition C(string id) => TestElections.Candidate(id, $"Candidate {id}", "p");
        var builder = TestElections.Create(Id).Named("Test election").Polls(PollsOpen, PollsClose)
            .Party("p", "Party").Region("r1", "Region 1").Region("r2", "Region 2")
            .Contest("legislative", "legislative", c => c
                .Constituency("1", "r1", "One", C("c-1-1"), C("c-1-2"), C("c-1-3"))
                .Constituency("2", "r2", "Two", C("c-2-1"), C("c-2-2")), "Legislative")
            .Contest("council", "regional-council", c => c.Constituency("A", "r1", "A", C("a-1"), C("a-2")), "Council");
        void S(string id, string region, int voters, params (string Contest, string Constituency)[] votes) =>
            builder.Station(id, region, voters, votes, [TestElections.Camera($"cam-{id}-a", "rtsp://user:secret@10.0.0.5/stream1")],
                address: $"School {id[1..]}");
        S("s1", "r1", 1000, ("legislative", "1"), ("council", "A"));
        S("s2", "r1", 1200, ("legislative", "1"), ("council", "A"));
        S("s3", "r1", 800, ("legislative", "1"));
        S("s4", "r2", 1500, ("legislative", "2"));
        S("s5", "r2", 900, ("legislative", "2"));
        S("s6", "r2", 700, ("legislative", "2"));
        return builder.BuildWithKeys();
    }
}
