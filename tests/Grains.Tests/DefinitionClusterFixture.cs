using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using Portal.Grains.Ledger;
using Portal.Grains.Demo;
using Portal.Grains.Model;

namespace Portal.Grains.Tests;

/// <summary>An in-process silo holding a small generated election, shared by the grain tests.</summary>
public sealed class DefinitionClusterFixture : IAsyncLifetime
{
    public ElectionCatalog Catalog { get; } = new(DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = 300, Seed = 11 }), []);

    private readonly TempDirectory _ledgerDir = new("definition-ledger-");

    public InProcessTestCluster Cluster { get; private set; } = default!;

    public IGrainFactory Grains => Cluster.Client;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        var ledgerDir = _ledgerDir.Path;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(Catalog);
            silo.Services.AddSingleton(new ElectionClock(Catalog));
            silo.Services.AddSingleton<ILedgerStore>(sp => new SqliteLedgerStore(Path.Combine(ledgerDir, "ledger.db"), true, 64,
                sp.GetRequiredService<ILogger<SqliteLedgerStore>>()));
            silo.AddMemoryGrainStorage(GrainStorageNames.Default);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _ledgerDir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DefinitionClusterCollection : ICollectionFixture<DefinitionClusterFixture>
{
    public const string Name = "definition cluster";
}
