using System.Text.Json.Nodes;
using Portal.Tests.Infrastructure;

namespace Portal.Tests;

public sealed class StartupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portal-start-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AnInvalidElectionFileStopsTheStartWithExitCodeTwoNamingTheField()
    {
        var election = Portal.Grains.Demo.DemoElectionGenerator.Generate(new() { Stations = 20 });
        election.Stations[12 % election.Stations.Count].Constituencies["legislative"] = "151";
        election.Stations[3].VotersOnList = 5000;
        var path = Path.Combine(_dir, "election.json");
        Portal.Grains.Model.ElectionDefinitionLoader.Save(election, path);

        await using var portal = PortalProcess.Start(["--election", path, "--data-dir", Path.Combine(_dir, "data")]);
        var exitCode = await portal.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains("stations[12].constituencies.legislative: unknown constituency \"151\"", portal.Output);
        Assert.Contains("stations[3].votersOnList", portal.Output);
    }

    [Fact]
    public async Task MalformedJsonStopsTheStartWithExitCodeTwo()
    {
        var path = Path.Combine(_dir, "broken.json");
        await File.WriteAllTextAsync(path, """{"id": "x", "stations": [{"id": "1", "votersOnList": "many"}]}""");
        await using var portal = PortalProcess.Start(["--election", path, "--data-dir", Path.Combine(_dir, "data")]);
        Assert.Equal(2, await portal.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("stations[0].votersOnList", portal.Output);
    }

    [Fact]
    public async Task ElasticsearchWithoutAUrlStopsTheStartWithExitCodeTwoAndShowsNoCredential()
    {
        const string secret = "ZXMtYXBpLWtleS1pZDplcy1hcGkta2V5LXNlY3JldA==";
        await using var portal = PortalProcess.Start(
        [
            "--data-dir", Path.Combine(_dir, "data"), "--Search:Backend", "elasticsearch", "--Search:Elasticsearch:ApiKey", secret,
        ]);
        Assert.Equal(2, await portal.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Search:Elasticsearch:Url is required", portal.Output);
        Assert.DoesNotContain(secret, portal.Output);
    }

    [Fact]
    public async Task ANodeThatCannotReachElasticsearchSaysSoAndFailsReadiness()
    {
        const string secret = "dW5yZWFjaGFibGUta2V5LWlkOnVucmVhY2hhYmxlLXNlY3JldA==";
        var nowhere = TestPorts.Free(); // nothing listens there
        await using var portal = PortalProcess.Start(
        [
            "--data-dir", Path.Combine(_dir, "data"),
            "--Cluster:SiloPort", TestPorts.Free().ToString(), "--Cluster:GatewayPort", TestPorts.Free().ToString(),
            "--Search:Backend", "elasticsearch", "--Search:Elasticsearch:Url", $"http://127.0.0.1:{nowhere}",
            "--Search:Elasticsearch:ApiKey", secret, "--Search:Elasticsearch:RequestTimeout", "00:00:02",
        ]);
        using var http = new HttpClient { BaseAddress = portal.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        using var management = new HttpClient { BaseAddress = portal.ManagementAddress, Timeout = TimeSpan.FromSeconds(20) };
        // Silo and storage up, search not: the node is alive but takes no traffic.
        JsonNode? ready = null;
        await Wait.ProbeAsync(async () =>
        {
            if (portal.HasExited) Assert.Fail($"the portal exited with {portal.ExitCode}:\n{portal.Output}");
            try
            {
                var response = await http.GetAsync("/healthz/ready");
                ready = JsonNode.Parse(await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException) { }
            return ready;
        }, r => r?["checks"]?["silo"]?["status"]?.GetValue<string>() == "Healthy", TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(500));
        Assert.NotNull(ready);
        Assert.Equal("Unhealthy", ready["status"]!.GetValue<string>());
        Assert.Equal("Unhealthy", ready["checks"]!["search"]!["status"]!.GetValue<string>());
        var healthResponse = await management.GetAsync("/healthz");
        var health = await healthResponse.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, healthResponse.StatusCode);
        Assert.Contains("elasticsearch unreachable", health);
        Assert.Contains("Elasticsearch could not be reached", portal.Output);
        Assert.DoesNotContain(secret, portal.Output + health);
    }

    [Fact]
    public async Task AGivenElectionFileAndKeysAreServed()
    {
        var election = Portal.Grains.Demo.DemoElectionGenerator.Generate(new() { Stations = 30, Seed = 5 });
        election.Id = "uz-test-file";
        var (_, electionPath, keysPath, _) = TestElectionFiles.Write(_dir, election);

        await using var portal = PortalProcess.Start(
        [
            "--election", electionPath, "--station-keys", keysPath, "--data-dir", Path.Combine(_dir, "data"),
            "--Cluster:SiloPort", TestPorts.Free().ToString(), "--Cluster:GatewayPort", TestPorts.Free().ToString(),
        ]);
        await portal.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        using var http = new HttpClient { BaseAddress = portal.BaseAddress };
        using var management = new HttpClient { BaseAddress = portal.ManagementAddress };
        var health = JsonNode.Parse(await management.GetStringAsync("/healthz"))!;
        Assert.Equal("Healthy", health["status"]!.GetValue<string>());
        Assert.Equal("Healthy", health["checks"]!["silo"]!["status"]!.GetValue<string>());
        Assert.Equal("Healthy", health["checks"]!["storage"]!["status"]!.GetValue<string>());
        var home = await http.GetStringAsync("/");
        Assert.Contains(election.Name["uz"].Replace("'", "&#x27;"), home);
    }
}
