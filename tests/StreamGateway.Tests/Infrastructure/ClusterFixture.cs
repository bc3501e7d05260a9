using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using Portal.Grains;
using Portal.Grains.Abstractions;
using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.StreamGateway.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(ClusterFixture))]
[assembly: AssemblyFixture(typeof(RtspServer))]

namespace Portal.StreamGateway.Tests.Infrastructure;

/// <summary>One in-process silo for the whole run: the camera grains the gateway reports to.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly string _ledgerDir = Tools.TempDir("gw-ledger");
    private InProcessTestCluster? _cluster;

    public IGrainFactory Grains => _cluster!.Client;

    public IClusterClient Client => _cluster!.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.AddMemoryGrainStorage(GrainStorageNames.Default);
            var catalog = TestCatalog.ForSilo();
            silo.Services.AddSingleton(catalog);
            // The camera grains append their state changes to the public record.
            silo.Services.AddSingleton(new ElectionClock(catalog));
            silo.Services.AddSingleton<ILedgerStore>(sp => new SqliteLedgerStore(Path.Combine(_ledgerDir, "ledger.db"), true, 64,
                sp.GetRequiredService<ILogger<SqliteLedgerStore>>()));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public Task<CameraStatus> StatusAsync(string cameraId) => Grains.GetGrain<ICameraGrain>(cameraId).GetStatusAsync();

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null) await _cluster.DisposeAsync();
        try { Directory.Delete(_ledgerDir, true); } catch (IOException) { }
    }
}
