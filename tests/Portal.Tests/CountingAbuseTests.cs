using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains.Abstractions;
using Portal.Tests.Infrastructure;

namespace Portal.Tests;

/// <summary>A past demo day (every clip archived) with two-minute clips; no cameras run (the tests count no video).</summary>
public sealed class CountingHostFactory() : InMemoryPortalFactory("portal-counting-")
{
    public const int TokenLimit = 20;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Demo:Stations", "60");
        builder.UseSetting("Demo:Day", "2024-10-27");
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Simulator:Enabled", "false");
        builder.UseSetting("Demo:ActiveCameraStations", "2");
        builder.UseSetting("Counting:ClipMinutes", "2");
        builder.UseSetting("Counting:SubmissionsPerTokenPerMinute", TokenLimit.ToString());
        builder.UseSetting("Counting:SubmissionsPerAddressPerMinute", "10000");
        builder.UseSetting("Search:IndexPath", Path.Combine(DataDir, "search"));
    }
}

/// <summary>Issue 18, abuse: one count per clip and token, human press rates, field-level 400s that store nothing, rate limits.</summary>
public sealed class CountingAbuseTests(CountingHostFactory factory) : IClassFixture<CountingHostFactory>
{
    private const string ElectionId = "uz-2024-10-27";

    private async Task<(HttpClient Volunteer, JsonElement Task)> VolunteerWithTaskAsync()
    {
        var client = factory.CreateClient();
        var task = await client.GetFromJsonAsync<JsonElement>("/api/v1/count/task", TestContext.Current.CancellationToken);
        return (client, task);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string clipId, string json) =>
        client.PostAsync($"/api/v1/count/clips/{Uri.EscapeDataString(clipId)}/counts", new StringContent(json, Encoding.UTF8, "application/json"));

    private static string Body(int count, IEnumerable<double> presses) => JsonSerializer.Serialize(new { count, presses });

    /// <summary>From the grain itself: the published CSV is output-cached for a few seconds.</summary>
    private async Task<int> CountsOfAsync(string clipId)
    {
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        return (await grains.GetGrain<ICountingGrain>(ElectionId).GetClipsAsync()).Single(c => c.Clip.Id == clipId).Counts;
    }

    private static async Task AssertFieldErrorAsync(HttpResponseMessage response, HttpStatusCode status, string field, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().ToList();
        Assert.Contains(errors, e => e.GetProperty("field").GetString() == field && e.GetProperty("code").GetString() == code);
    }

    [Fact]
    public async Task ASecondCountOfTheSameClipByOneTokenIsRefused()
    {
        var (volunteer, task) = await VolunteerWithTaskAsync();
        var clipId = task.GetProperty("clipId").GetString()!;
        // The class's tests share one host: another test's volunteer may have counted this clip already.
        var before = await CountsOfAsync(clipId);
        var first = await PostAsync(volunteer, clipId, Body(3, [1, 2, 3]));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await AssertFieldErrorAsync(await PostAsync(volunteer, clipId, Body(4, [1, 2, 3, 4])), HttpStatusCode.Conflict, "clipId", "already-counted");
        Assert.Equal(before + 1, await CountsOfAsync(clipId));
        // The next task is another clip.
        Assert.NotEqual(clipId, (await volunteer.GetFromJsonAsync<JsonElement>("/api/v1/count/task")).GetProperty("clipId").GetString());
    }

    [Fact]
    public async Task AThousandPressesInATwoMinuteClipAreRefused()
    {
        var (volunteer, task) = await VolunteerWithTaskAsync();
        var clipId = task.GetProperty("clipId").GetString()!;
        Assert.Equal(120, task.GetProperty("seconds").GetDouble(), 1);
        var presses = Enumerable.Range(0, 1000).Select(i => i * 0.12).ToList();
        var before = await CountsOfAsync(clipId);
        await AssertFieldErrorAsync(await PostAsync(volunteer, clipId, Body(1000, presses)), HttpStatusCode.BadRequest, "presses", "too-many");
        Assert.Equal(before, await CountsOfAsync(clipId));
    }

    [Theory]
    [InlineData("{\"count\": -1, \"presses\": []}", "count", "negative")]
    [InlineData("{\"presses\": []}", "count", "required")]
    [InlineData("{\"count\": 2}", "presses", "required")]
    [InlineData("{\"count\": 2, \"presses\": [1.5, 500]}", "presses[1]", "outside-clip")]
    [InlineData("{\"count\": 2, \"presses\": [-30, 4]}", "presses[0]", "outside-clip")]
    [InlineData("{\"count\": 3, \"presses\": [1, 2]}", "presses", "mismatch")]
    [InlineData("{\"count\": 2, \"presses\": [5, 2]}", "presses[1]", "order")]
    [InlineData("{\"count\": \"many\", \"presses\": []}", "$", "json")]
    [InlineData("not json", "$", "json")]
    public async Task BadInputIsAFieldLevel400AndStoresNothing(string json, string field, string code)
    {
        var (volunteer, task) = await VolunteerWithTaskAsync();
        var clipId = task.GetProperty("clipId").GetString()!;
        // Other tests of this class share the host and may have counted the same clip: compare with before.
        var before = await CountsOfAsync(clipId);
        await AssertFieldErrorAsync(await PostAsync(volunteer, clipId, json), HttpStatusCode.BadRequest, field, code);
        Assert.Equal(before, await CountsOfAsync(clipId));
        // Nothing was stored: the same volunteer can still count the clip.
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(volunteer, clipId, Body(1, [2]))).StatusCode);
    }

    [Fact]
    public async Task ACountWithoutAVolunteerTokenIsRefused()
    {
        var (_, task) = await VolunteerWithTaskAsync();
        var anonymous = factory.CreateClient();
        var clipId = task.GetProperty("clipId").GetString()!;
        var before = await CountsOfAsync(clipId);
        await AssertFieldErrorAsync(await PostAsync(anonymous, clipId, Body(1, [2])), HttpStatusCode.BadRequest, "token", "missing");
        await AssertFieldErrorAsync(await PostAsync(anonymous, "no-such-clip.0800", Body(1, [2])), HttpStatusCode.BadRequest, "token", "missing");
        Assert.Equal(before, await CountsOfAsync(clipId));
    }

    [Fact]
    public async Task OneTokenIsRateLimited()
    {
        var (volunteer, task) = await VolunteerWithTaskAsync();
        var clipId = task.GetProperty("clipId").GetString()!;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= CountingHostFactory.TokenLimit; i++)
            statuses.Add((await PostAsync(volunteer, clipId, "{\"count\": -1, \"presses\": []}")).StatusCode);
        Assert.All(statuses.Take(CountingHostFactory.TokenLimit), s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        // Another volunteer behind the same address is not cut off.
        var (other, otherTask) = await VolunteerWithTaskAsync();
        Assert.Equal(HttpStatusCode.Created, (await PostAsync(other, otherTask.GetProperty("clipId").GetString()!, Body(0, []))).StatusCode);
    }

    [Fact]
    public async Task TheTaskIsNeverCachedAndThePublishedFiguresAre()
    {
        var client = factory.CreateClient();
        var task = await client.GetAsync("/api/v1/count/task");
        Assert.True(task.Headers.CacheControl is { NoStore: true, Private: true }, $"Cache-Control: {task.Headers.CacheControl}");
        Assert.Contains(task.Headers.GetValues("Set-Cookie"), c => c.StartsWith("portal-volunteer=", StringComparison.Ordinal) && c.Contains("httponly"));
        var summary = await client.GetFromJsonAsync<JsonElement>($"/api/v1/elections/{ElectionId}/counting");
        Assert.Equal(2, summary.GetProperty("national").GetProperty("cameras").GetInt32());
        var csv = await client.GetStringAsync($"/api/v1/elections/{ElectionId}/counting.csv");
        Assert.StartsWith("electionId,regionId,stationId,stationNumber,cameraId,windowStart,windowEnd,counted,coverage", csv);
        Assert.Equal(1 + 2 * 6, csv.Trim().Split('\n').Length);
    }
}
