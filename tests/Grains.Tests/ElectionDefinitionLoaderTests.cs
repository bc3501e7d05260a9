using System.Text;
using System.Text.Json.Nodes;
using Portal.Grains.Demo;
using Portal.Grains.Model;

namespace Portal.Grains.Tests;

public sealed class ElectionDefinitionLoaderTests
{
    private static JsonObject ValidElection()
    {
        var election = DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = 40, Seed = 7 });
        return JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(election, ElectionDefinitionLoader.JsonOptions))!.AsObject();
    }

    private static DefinitionException Refused(JsonObject json) =>
        Assert.Throws<DefinitionException>(() => ElectionDefinitionLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(json.ToJsonString()))));

    [Fact]
    public void ValidFileLoads()
    {
        var election = ElectionDefinitionLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(ValidElection().ToJsonString())));
        Assert.Equal(40, election.Stations.Count);
        Assert.Equal(14, election.Regions.Count);
    }

    [Fact]
    public void ContractExampleLoads()
    {
        const string json = """
        {"id": "uz-2024-10-27", "name": {"uz": "Saylov", "ru": "Выборы", "en": "Election"}, "timeZone": "Asia/Tashkent",
         "pollsOpen": "2024-10-27T08:00:00+05:00", "pollsClose": "2024-10-27T20:00:00+05:00",
         "regions": [{"id": "tashkent-city", "name": {"uz": "Toshkent shahri", "uz-Cyrl": "Тошкент шаҳри", "ru": "город Ташкент", "en": "Tashkent City"}}],
         "contests": [{"id": "legislative", "name": {"en": "Legislative Chamber"}, "kind": "legislative",
                       "constituencies": [{"id": "1", "regionId": "tashkent-city", "name": {"en": "Bektemir"},
                                           "candidates": [{"id": "c-1-1", "name": "Aliyev Akmal", "party": "UzLiDeP"}]}]}],
         "stations": [{"id": "1-0001", "number": 1, "regionId": "tashkent-city", "address": "...",
                       "votersOnList": 1850, "constituencies": {"legislative": "1"},
                       "cameras": [{"id": "cam-1-0001-a", "source": "rtsp://user:pass@10.0.0.5/stream1"}]}]}
        """;
        var election = ElectionDefinitionLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));
        Assert.Equal("1", election.Stations[0].Constituencies["legislative"]);
    }

    public static TheoryData<string, Action<JsonObject>, string> BadFiles => new()
    {
        { "duplicate station id", j => j["stations"]![1]!["id"] = j["stations"]![0]!["id"]!.GetValue<string>(), "stations[1].id" },
        { "duplicate region id", j => j["regions"]![1]!["id"] = "karakalpakstan", "regions[1].id" },
        { "duplicate candidate id", j => j["contests"]![0]!["constituencies"]![1]!["candidates"]![0]!["id"] = "c-1-1", "contests[0].constituencies[1].candidates[0].id" },
        { "unknown region of a station", j => j["stations"]![3]!["regionId"] = "atlantis", "stations[3].regionId" },
        { "unknown region of a constituency", j => j["contests"]![0]!["constituencies"]![2]!["regionId"] = "atlantis", "contests[0].constituencies[2].regionId" },
        { "unknown constituency", j => j["stations"]![12]!["constituencies"]!["legislative"] = "151", "stations[12].constituencies.legislative" },
        { "station without a constituency for a contest", j => j["stations"]![5]!["constituencies"]!.AsObject().Remove("regional-council"), "stations[5].constituencies.regional-council" },
        { "unknown contest of a station", j => j["stations"]![5]!["constituencies"]!["senate"] = "1", "stations[5].constituencies.senate" },
        { "too few voters", j => j["stations"]![2]!["votersOnList"] = 19, "stations[2].votersOnList" },
        { "too many voters", j => j["stations"]![2]!["votersOnList"] = 3001, "stations[2].votersOnList" },
        { "polls close before they open", j => j["pollsClose"] = j["pollsOpen"]!.GetValue<string>(), "pollsClose" },
        { "camera source is http", j => j["stations"]![0]!["cameras"]![0]!["source"] = "http://10.0.0.5/stream", "stations[0].cameras[0].source" },
        { "camera source is empty", j => j["stations"]![0]!["cameras"]![1]!["source"] = "", "stations[0].cameras[1].source" },
        { "camera id with a path", j => j["stations"]![0]!["cameras"]![0]!["id"] = "../etc", "stations[0].cameras[0].id" },
        { "wrong type", j => j["stations"]![4]!["votersOnList"] = "many", "stations[4].votersOnList" },
        { "unknown time zone", j => j["timeZone"] = "Mars/Olympus", "timeZone" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void BadFileIsRefusedNamingThePath(string _, Action<JsonObject> breakIt, string expectedPath)
    {
        var json = ValidElection();
        breakIt(json);
        var refused = Refused(json);
        Assert.Contains(refused.Errors, e => e.Path == expectedPath);
    }

    [Fact]
    public void EveryErrorIsReportedNotOnlyTheFirst()
    {
        var json = ValidElection();
        json["stations"]![0]!["votersOnList"] = 5;
        json["stations"]![1]!["regionId"] = "atlantis";
        json["pollsClose"] = json["pollsOpen"]!.GetValue<string>();
        Assert.Equal(3, Refused(json).Errors.Count);
    }

    [Fact]
    public void CameraSourceNeverAppearsInAnError()
    {
        var json = ValidElection();
        json["stations"]![0]!["cameras"]![0]!["source"] = "http://admin:s3cret@10.0.0.5/stream";
        var refused = Refused(json);
        Assert.DoesNotContain("s3cret", refused.Message);
        Assert.All(refused.Errors, e => Assert.DoesNotContain("s3cret", e.ToString()));
    }
}
