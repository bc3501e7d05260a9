using Portal.Grains.Demo;
using Portal.Grains.Model;

namespace Portal.TestSupport;

/// <summary>
/// The small elections tests build by hand, one builder for all their shapes: regions, parties, contests with their
/// constituencies and candidates, stations (voters, constituencies, cameras with given sources), the polls' hours and
/// fresh station keys. Names are set only where a test gives them (an unnamed thing stays unnamed, as the tests had it).
/// <code>
/// var election = TestElections.Create("test-2024").Polls(open, close).Region("r1").Party("p")
///     .Contest("legislative", "legislative", c => c.Constituency("1", "r1", TestElections.Candidate("c-1", "One", "p")))
///     .Station("s1", "r1", voters: 1000, constituencies: [("legislative", "1")])
///     .Build();
/// </code>
/// </summary>
public static class TestElections
{
    public const string TimeZone = "Asia/Tashkent";

    public static TestElectionBuilder Create(string id) => new(id);

    public static CandidateDefinition Candidate(string id, string name, string party) => new() { Id = id, Name = name, Party = party };

    public static CameraDefinition Camera(string id, string source) => new() { Id = id, Source = source };

    /// <summary>A fresh key pair per station (the portal's own generator: never derived from a seed).</summary>
    public static (List<StationPublicKey> Public, List<StationPrivateKey> Private) Keys(ElectionDefinition election) =>
        DemoElectionGenerator.GenerateKeys(election.Stations);

    /// <summary>One station per camera, polls open now (two hours ago to eight hours on): a catalog that knows the cameras.</summary>
    public static ElectionCatalog OneStationPerCamera(string id, IEnumerable<CameraDefinition> cameras)
    {
        var builder = Create(id).PollsOpenNow(TimeSpan.FromHours(2), TimeSpan.FromHours(8));
        var i = 0;
        foreach (var camera in cameras)
        {
            i++;
            builder.Station($"st-{i}", "r", voters: 100, address: "test", cameras: [camera]);
        }
        return new ElectionCatalog(builder.Build(), []);
    }

    /// <summary>Polls opened <paramref name="openedAgo"/> before now and closing <paramref name="closesIn"/> after: voting hours whatever the hour of the run.</summary>
    public static void OpenPollsNow(ElectionDefinition election, TimeSpan openedAgo, TimeSpan closesIn)
    {
        var now = DateTimeOffset.UtcNow;
        (election.PollsOpen, election.PollsClose) = (now - openedAgo, now + closesIn);
    }

    internal static Dictionary<string, string> English(string? name) => name is null ? [] : new() { ["en"] = name };
}

/// <summary>Builds one <see cref="ElectionDefinition"/>; see <see cref="TestElections"/>.</summary>
public sealed class TestElectionBuilder
{
    private readonly ElectionDefinition _election;

    internal TestElectionBuilder(string id) => _election = new ElectionDefinition { Id = id, TimeZone = TestElections.TimeZone };

    public TestElectionBuilder Named(string english)
    {
        _election.Name = TestElections.English(english);
        return this;
    }

    public TestElectionBuilder Polls(DateTimeOffset open, DateTimeOffset close)
    {
        (_election.PollsOpen, _election.PollsClose) = (open, close);
        return this;
    }

    /// <summary>Polls opened <paramref name="openedAgo"/> before now and closing <paramref name="closesIn"/> after: voting hours whatever the hour of the run.</summary>
    public TestElectionBuilder PollsOpenNow(TimeSpan openedAgo, TimeSpan closesIn)
    {
        TestElections.OpenPollsNow(_election, openedAgo, closesIn);
        return this;
    }

    public TestElectionBuilder Party(string id, string? english = null)
    {
        _election.Parties.Add(new PartyDefinition { Id = id, Name = TestElections.English(english) });
        return this;
    }

    public TestElectionBuilder Region(string id, string? english = null)
    {
        _election.Regions.Add(new RegionDefinition { Id = id, Name = TestElections.English(english) });
        return this;
    }

    public TestElectionBuilder Contest(string id, string kind, Action<TestContestBuilder> constituencies, string? english = null)
    {
        var contest = new ContestDefinition { Id = id, Kind = kind, Name = TestElections.English(english) };
        constituencies(new TestContestBuilder(contest));
        _election.Contests.Add(contest);
        return this;
    }

    /// <summary>
    /// A station: <paramref name="constituencies"/> are (contest, constituency) pairs; the number is the next one unless
    /// given; <paramref name="address"/> is empty unless given.
    /// </summary>
    public TestElectionBuilder Station(string id, string region, int voters, IEnumerable<(string Contest, string Constituency)>? constituencies = null,
        IEnumerable<CameraDefinition>? cameras = null, int? number = null, string? address = null)
    {
        _election.Stations.Add(new StationDefinition
        {
            Id = id, Number = number ?? _election.Stations.Count + 1, RegionId = region, Address = address ?? "", VotersOnList = voters,
            Constituencies = (constituencies ?? []).ToDictionary(c => c.Contest, c => c.Constituency),
            Cameras = [.. cameras ?? []],
        });
        return this;
    }

    public ElectionDefinition Build() => _election;

    /// <summary>The election and fresh keys for its stations.</summary>
    public (ElectionDefinition Election, List<StationPublicKey> Public, List<StationPrivateKey> Private) BuildWithKeys()
    {
        var (publicKeys, privateKeys) = TestElections.Keys(_election);
        return (_election, publicKeys, privateKeys);
    }
}

/// <summary>The constituencies of one contest.</summary>
public sealed class TestContestBuilder
{
    private readonly ContestDefinition _contest;

    internal TestContestBuilder(ContestDefinition contest) => _contest = contest;

    public TestContestBuilder Constituency(string id, string region, string? english, params IEnumerable<CandidateDefinition> candidates)
    {
        _contest.Constituencies.Add(new ConstituencyDefinition { Id = id, RegionId = region, Name = TestElections.English(english), Candidates = [.. candidates] });
        return this;
    }
}

/// <summary>An election written as an election file with its public keys; the private keys sign the test's reports.</summary>
public sealed record TestElectionFiles(ElectionDefinition Election, string ElectionPath, string KeysPath, IReadOnlyList<StationPrivateKey> PrivateKeys)
{
    /// <summary>The keys as written to <see cref="KeysPath"/>.</summary>
    public IReadOnlyList<StationPublicKey> PublicKeys { get; init; } = [];

    /// <summary>Writes <paramref name="election"/> and fresh public keys for its stations into <paramref name="dir"/>.</summary>
    public static TestElectionFiles Write(string dir, ElectionDefinition election, string keysFileName = "keys.csv")
    {
        Directory.CreateDirectory(dir);
        var electionPath = Path.Combine(dir, "election.json");
        ElectionDefinitionLoader.Save(election, electionPath);
        var (publicKeys, privateKeys) = TestElections.Keys(election);
        var keysPath = Path.Combine(dir, keysFileName);
        StationKeyFiles.WritePublic(keysPath, publicKeys);
        return new TestElectionFiles(election, electionPath, keysPath, privateKeys) { PublicKeys = publicKeys };
    }

    /// <summary>A generated (demo) election of <paramref name="stations"/> stations, <paramref name="cameraStations"/> with cameras.</summary>
    public static TestElectionFiles Write(string dir, int stations, int cameraStations, int seed) =>
        Write(dir, DemoElectionGenerator.Generate(new() { Stations = stations, Seed = seed, ActiveCameraStations = cameraStations }));

    /// <summary>
    /// The arguments of one cluster node on <paramref name="redis"/>, as the README starts one: role <paramref name="role"/>
    /// (all, web or gateway), its own data dir under <paramref name="dir"/>, and the video folder every node of the test's
    /// cluster shares (<c>{dir}/video</c>).
    /// </summary>
    public string[] ClusterNode(string dir, string name, string redis, string clusterId, string role, params string[] extra) =>
    [
        "--election", ElectionPath, "--station-keys", KeysPath, "--data-dir", Path.Combine(dir, name),
        "--Cluster:Enabled", "true", "--Cluster:Redis", redis, "--Cluster:ClusterId", clusterId, "--Cluster:Role", role,
        "--Cluster:SiloPort", TestPorts.Free().ToString(), "--Cluster:GatewayPort", TestPorts.Free().ToString(),
        "--Gateway:DataDir", Path.Combine(dir, "video"),
        // The tests connect every viewer and send every report from one address.
        "--PublicWeb:HubRequestsPerWindow", "100000", "--PublicWeb:ApiRequestsPerWindow", "100000",
        .. extra,
    ];
}
