using Microsoft.Extensions.Configuration;
using Portal.Hosting;
using Portal.Tests.Infrastructure;

namespace Portal.Tests;

public sealed class HostingPlanTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portal-hosting-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (HostingPlan Plan, ConfigurationManager Configuration) Decide(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value));
        return (HostingPlan.Decide(configuration), configuration);
    }

    private static readonly (string, string)[] Cluster = [("Cluster:Enabled", "true"), ("Cluster:Redis", "127.0.0.1:6390"), ("Gateway:DataDir", "/srv/video")];

    [Fact]
    public void EmbeddedByDefaultDoesEverythingOnLocalDisk()
    {
        var (plan, configuration) = Decide();
        Assert.False(plan.Clustered);
        Assert.Equal(NodeRole.All, plan.Role);
        Assert.True(plan.ServesWeb && plan.RunsCameras);
        Assert.Equal("sqlite", configuration["Ledger:Store"]);
        Assert.Equal("embedded", configuration["Gateway:Placement"]);
    }

    [Fact]
    public void ClusterModeChoosesTheRedisLedgerAndLeasedCameraPlacement()
    {
        var (plan, configuration) = Decide(Cluster);
        Assert.True(plan.Clustered);
        Assert.Equal("redis", configuration["Ledger:Store"]);
        Assert.Equal("redis", configuration["Gateway:Placement"]);
        Assert.Equal("127.0.0.1:6390", configuration["Gateway:RedisConfiguration"]);
        Assert.Equal("election-portal:gateway:", configuration["Gateway:RedisKeyPrefix"]);
    }

    [Theory]
    [InlineData("web", false, true)]
    [InlineData("gateway", true, false)]
    [InlineData("all", true, true)]
    [InlineData("Web", false, true)]
    public void ARoleDecidesCamerasAndWeb(string role, bool cameras, bool web)
    {
        var (plan, configuration) = Decide([.. Cluster, ("Cluster:Role", role)]);
        Assert.Equal(cameras, plan.RunsCameras);
        Assert.Equal(web, plan.ServesWeb);
        if (!cameras) Assert.Equal("false", configuration["Gateway:Supervise"]);
        if (!web) Assert.Equal("false", configuration["Simulator:Enabled"]);
    }

    [Theory]
    [InlineData("Ledger:Store", "sqlite", "Ledger:Store")]
    [InlineData("Gateway:Placement", "embedded", "Gateway:Placement")]
    [InlineData("Cluster:Role", "camera", "Cluster:Role")]
    [InlineData("Cluster:AdvertisedAddress", "node-1.local", "Cluster:AdvertisedAddress")]
    [InlineData("Cluster:GatewayPort", "11111", "Cluster:SiloPort and Cluster:GatewayPort")]
    public void AnInconsistentClusterIsRefusedNamingTheSetting(string key, string value, string named)
    {
        var e = Assert.Throws<HostingPlanException>(() => Decide([.. Cluster, (key, value)]));
        Assert.Contains(e.Errors, error => error.StartsWith(named + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void AClusterWithoutASharedVideoFolderIsRefused()
    {
        var e = Assert.Throws<HostingPlanException>(() => Decide(("Cluster:Enabled", "true")));
        Assert.Contains(e.Errors, error => error.StartsWith("Gateway:DataDir:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Cluster:Role", "web")]
    [InlineData("Ledger:Store", "redis")]
    [InlineData("Gateway:Placement", "redis")]
    public void ClusterOnlySettingsWithoutAClusterAreRefused(string key, string value)
    {
        var e = Assert.Throws<HostingPlanException>(() => Decide((key, value)));
        Assert.Contains(e.Errors, error => error.StartsWith(key + ":", StringComparison.Ordinal));
    }

    [Fact]
    public void AWebNodeToldToSuperviseCamerasIsRefused()
    {
        var e = Assert.Throws<HostingPlanException>(() => Decide([.. Cluster, ("Cluster:Role", "web"), ("Gateway:Supervise", "true")]));
        Assert.Contains(e.Errors, error => error.StartsWith("Gateway:Supervise:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AClusterWithASqliteLedgerForcedRefusesToStartWithExitCodeTwo()
    {
        await using var portal = PortalProcess.Start(
        [
            "--data-dir", Path.Combine(_dir, "data"), "--Cluster:Enabled", "true", "--Cluster:Redis", "127.0.0.1:1",
            "--Gateway:DataDir", Path.Combine(_dir, "video"), "--Ledger:Store", "sqlite",
        ]);
        Assert.Equal(2, await portal.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("The hosting configuration was refused", portal.Output);
        Assert.Contains("Ledger:Store: \"sqlite\" with Cluster:Enabled", portal.Output);
    }
}
