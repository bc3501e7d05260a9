using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.Grains.Model;
using Portal.Ingest.Simulation;
using Portal.Ops;

namespace Portal.Tests.Ops;

public sealed class StationKeyAdminTests(OpsHostFactory factory) : IClassFixture<OpsHostFactory>
{
    [Fact]
    public async Task RevokedKeyIsRefusedAtOnceStaysListedAndARotatedKeyWorks()
    {
        var admin = await factory.LoggedInAsync(OpsRoles.Admin);
        var station = factory.Election.Stations[7];
        var oldKey = factory.PrivateKeys.Single(k => k.StationId == station.Id);
        var device = new StationClient(factory.Client(), StationClient.Index([oldKey]));

        var before = await device.PostTurnoutAsync(station.Id, Turnout(station));
        Assert.NotEqual(HttpStatusCode.Unauthorized, before.StatusCode);

        var page = await PostFormAsync(admin, "revoke", new() { ["Revoke.KeyId"] = oldKey.KeyId });
        Assert.Contains($"Key {oldKey.KeyId} of station {station.Id} revoked", page);
        var after = await device.PostTurnoutAsync(station.Id, Turnout(station));
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);

        // Still published, with the end of its validity, so the entries it signed still verify (the list is cached for 2 s).
        var (listed, _) = await Wait.ProbeAsync(async () =>
        {
            using var keys = JsonDocument.Parse(await factory.Client().GetStringAsync("/api/v1/keys"));
            return keys.RootElement.EnumerateArray().Single(k => k.GetProperty("keyId").GetString() == oldKey.KeyId).Clone();
        }, key => key.GetProperty("validUntil").ValueKind != JsonValueKind.Null, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(250));
        Assert.NotEqual(JsonValueKind.Null, listed.GetProperty("validUntil").ValueKind);

        page = await PostFormAsync(admin, "rotate", new() { ["Rotate.StationId"] = station.Id });
        var newKeyId = Regex.Match(page, @"now signs with key (\S+?);").Groups[1].Value;
        var privateKey = Regex.Match(page, "data-testid=\"private-key\">([^<]+)<").Groups[1].Value.Trim();
        Assert.False(string.IsNullOrEmpty(newKeyId) || string.IsNullOrEmpty(privateKey), page);
        var rotated = new StationClient(factory.Client(), StationClient.Index([new StationPrivateKey(station.Id, newKeyId, Convert.FromBase64String(privateKey))]));
        var withNew = await rotated.PostTurnoutAsync(station.Id, Turnout(station));
        Assert.NotEqual(HttpStatusCode.Unauthorized, withNew.StatusCode);
        Assert.True(withNew.IsSuccessStatusCode, await withNew.Content.ReadAsStringAsync());

        // The private half was shown once: the page does not show it again, and nothing public carries it.
        Assert.DoesNotContain(privateKey, await admin.GetStringAsync("/ops/keys?station=" + station.Id));
        Assert.DoesNotContain(privateKey[..40], await factory.Client().GetStringAsync("/api/v1/keys"));
    }

    [Fact]
    public async Task BadKeyRegistrationIsRefusedFieldByField()
    {
        var admin = await factory.LoggedInAsync(OpsRoles.Admin);
        var page = await PostFormAsync(admin, "register", new()
        {
            ["Register.StationId"] = "no-such-station", ["Register.PublicKey"] = "bm90IGEga2V5", ["Register.KeyId"] = "bad id!",
        });
        Assert.Contains("data-field=\"stationId\"", page);
        page = await PostFormAsync(admin, "register", new() { ["Register.StationId"] = factory.Election.Stations[0].Id, ["Register.PublicKey"] = "bm90IGEga2V5" });
        Assert.Contains("data-field=\"publicKey\"", page);
    }

    private static object Turnout(StationDefinition station) => new
    {
        submissionId = Guid.NewGuid().ToString(), asOf = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(5)),
        votersIssuedBallots = 10, votersOnList = station.VotersOnList,
    };

    private static async Task<string> PostFormAsync(HttpClient client, string handler, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync("/ops/keys");
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(Regex.Match(html, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value);
        fields["_handler"] = handler;
        var response = await client.PostAsync("/ops/keys", new FormUrlEncodedContent(fields));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return WebUtility.HtmlDecode(body);
    }
}
