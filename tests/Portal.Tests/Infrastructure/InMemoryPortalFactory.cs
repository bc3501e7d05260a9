using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Portal.Tests.Infrastructure;

/// <summary>
/// The real portal in memory on its own temp data dir (deleted on dispose), free silo and gateway ports and no camera
/// supervision (no ffmpeg in these tests). Subclasses add their own settings after calling the base.
/// </summary>
public abstract class InMemoryPortalFactory(string dataDirPrefix) : WebApplicationFactory<Program>
{
    public string DataDir { get; } = Directory.CreateTempSubdirectory(dataDirPrefix).FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("data-dir", DataDir);
        builder.UseSetting("Cluster:SiloPort", TestPorts.Free().ToString());
        builder.UseSetting("Cluster:GatewayPort", TestPorts.Free().ToString());
        builder.UseSetting("Gateway:Supervise", "false");
        builder.UseSetting("Gateway:DataDir", Path.Combine(DataDir, "video"));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try { Directory.Delete(DataDir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
