using System.Net;
using System.Text;
using System.Text.Json;
using Portal.Ingest.Simulation;
using Portal.Ingest.Tests.Infrastructure;

namespace Portal.Ingest.Tests;

public sealed class StationApiFixture : IAsyncLifetime
{
    public PortalTestHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Host = await PortalTestHost.StartAsync(TestElection.AfterClose);
        using var first = await Host.Stations.PostProtocolAsync("s1", Bodies.Protocol("p-s1-v1"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
    }

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>One row per bad input of the issue: the status and an unchanged ledger head.</summary>
public sealed class StationApiBadInputTests(StationApiFixture fixture) : IClassFixture<StationApiFixture>
{
    private PortalTestHost Host => fixture.Host;

    private static byte[] Json(object body) => StationClient.Serialize(body);

    private static readonly Dictionary<string, (HttpStatusCode Status, string Field, Func<StationClient, Task<HttpResponseMessage>> Send)> Cases = new()
    {
        ["malformed JSON"] = (HttpStatusCode.BadRequest, "$", c => c.PostAsync("s2", "protocols", Encoding.UTF8.GetBytes("{\"submissionId\": \"x\", "))),
        ["not an object"] = (HttpStatusCode.BadRequest, "$", c => c.PostAsync("s2", "protocols", Encoding.UTF8.GetBytes("[1,2,3]"))),
        ["wrong type of a number"] = (HttpStatusCode.BadRequest, "ballotsInBoxes", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1").With("ballotsInBoxes", "598")))),
        ["wrong type of submissionId"] = (HttpStatusCode.BadRequest, "submissionId", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1").With("submissionId", 17)))),
        ["fractional number"] = (HttpStatusCode.BadRequest, "invalidBallots", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1").With("invalidBallots", 8.5)))),
        ["negative number"] = (HttpStatusCode.BadRequest, "spoiledBallots", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1").With("spoiledBallots", -2)))),
        ["overflowing number"] = (HttpStatusCode.BadRequest, "votersOnList", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1").With("votersOnList", 99_999_999_999L)))),
        ["overflowing candidate votes"] = (HttpStatusCode.BadRequest, "candidateVotes.c-1-1", c => c.PostAsync("s2", "protocols",
            Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Json(Bodies.Protocol("b1"))).Replace("\"c-1-1\":300", "\"c-1-1\":1e400")))),
        ["missing field"] = (HttpStatusCode.BadRequest, "unusedBallots", c => c.PostAsync("s2", "protocols", Json(Without(Bodies.Protocol("b1"), "unusedBallots")))),
        ["turnout wrong type"] = (HttpStatusCode.BadRequest, "asOf", c => c.PostAsync("s2", "turnout", Json(Bodies.Turnout("t1", 10, TestElection.DuringVoting).With("asOf", "yesterday")))),
        ["turnout issued over list"] = (HttpStatusCode.UnprocessableEntity, "votersIssuedBallots", c => c.PostAsync("s2", "turnout", Json(Bodies.Turnout("t1", 1300, TestElection.DuringVoting, 1200)))),
        ["votes plus invalid differ from ballots in boxes"] = (HttpStatusCode.UnprocessableEntity, "ballotsInBoxes", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1").With("invalidBallots", 9)))),
        ["ballots in boxes over voters issued"] = (HttpStatusCode.UnprocessableEntity, "ballotsInBoxes", c => c.PostAsync("s2", "protocols", Json(
            Bodies.Protocol("b1").With("votersIssuedBallots", 597).With("unusedBallots", 411)))),
        ["voters issued over the list"] = (HttpStatusCode.UnprocessableEntity, "votersIssuedBallots", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1").With("votersOnList", 599)))),
        ["ballots received differ from issued plus spoiled plus unused"] = (HttpStatusCode.UnprocessableEntity, "ballotsReceived", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1").With("ballotsReceived", 1011)))),
        ["unknown candidate"] = (HttpStatusCode.UnprocessableEntity, "candidateVotes.c-9-9", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1").Votes(
            new() { ["c-1-1"] = 300, ["c-1-2"] = 200, ["c-1-3"] = 80, ["c-9-9"] = 10 })))),
        ["missing candidate"] = (HttpStatusCode.UnprocessableEntity, "candidateVotes.c-1-3", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1").Votes(
            new() { ["c-1-1"] = 390, ["c-1-2"] = 200 })))),
        ["wrong contest for the station"] = (HttpStatusCode.NotFound, "contestId", c => c.PostAsync("s3", "protocols", Json(Bodies.Protocol("b1").With("contestId", "council")))),
        ["unknown contest"] = (HttpStatusCode.NotFound, "contestId", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1").With("contestId", "senate")))),
        ["unknown station"] = (HttpStatusCode.NotFound, "stationId", c => c.PostAsync("s99", "protocols", Json(Bodies.Protocol("b1")), signWithKeyOf: "s2")),
        ["key of another station"] = (HttpStatusCode.Forbidden, "Authorization.KeyId", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1")), signWithKeyOf: "s4")),
        ["bad signature"] = (HttpStatusCode.Unauthorized, "Authorization.Signature", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1")), corruptSignature: true)),
        ["missing signature"] = (HttpStatusCode.Unauthorized, "Authorization", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1")), unsigned: true)),
        ["stale timestamp"] = (HttpStatusCode.Unauthorized, "Authorization.Timestamp", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1")),
            timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 400)),
        ["future timestamp"] = (HttpStatusCode.Unauthorized, "Authorization.Timestamp", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1")),
            timestamp: DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 400)),
        ["body over 64 KiB"] = (HttpStatusCode.RequestEntityTooLarge, "$", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1").With("reason", new string('x', 70_000))))),
        ["correction without supersedes"] = (HttpStatusCode.Conflict, "supersedes", c => c.PostAsync("s1", "protocols", Json(Bodies.Protocol("p-s1-v2", c1: 301)))),
        ["stale supersedes"] = (HttpStatusCode.Conflict, "supersedes", c => c.PostAsync("s1", "protocols", Json(Bodies.Protocol("p-s1-v2", supersedes: "p-s1-v0", reason: "recount", c1: 301)))),
        ["first version naming a supersedes"] = (HttpStatusCode.Conflict, "supersedes", c => c.PostAsync("s2", "protocols", Json(Bodies.Protocol("b1", supersedes: "p-s2-v0", reason: "x")))),
        ["reused submissionId with other content"] = (HttpStatusCode.Conflict, "submissionId", c => c.PostAsync("s1", "protocols", Json(Bodies.Protocol("p-s1-v1", c1: 301)))),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task BadInputIsRejectedAndLeavesTheLedgerUnchanged(string name)
    {
        var (status, field, send) = Cases[name];
        var before = await Host.HeadAsync();
        using var response = await send(Host.Stations);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(status == response.StatusCode, $"{name}: expected {(int)status}, got {(int)response.StatusCode} {body}");
        using var doc = JsonDocument.Parse(body);
        var errors = doc.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.GetProperty("field").GetString() == field);
        Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("code").GetString())));
        Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("message").GetString())));
        Assert.Equal(before, await Host.HeadAsync());
    }

    [Fact]
    public async Task ProtocolBeforePollsCloseIsRejected()
    {
        var before = await Host.HeadAsync();
        var host = await PortalTestHost.StartAsync(TestElection.DuringVoting);
        await using (host)
        {
            var head = await host.HeadAsync();
            using var response = await host.Stations.PostProtocolAsync("s1", Bodies.Protocol("early"), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Contains("polls.open", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Equal(head, await host.HeadAsync());
        }
        Assert.Equal(before, await Host.HeadAsync());
    }

    private static Dictionary<string, object?> Without(Dictionary<string, object?> body, string field)
    {
        var copy = new Dictionary<string, object?>(body);
        copy.Remove(field);
        return copy;
    }
}
