using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Portal.Grains.Ledger;
using Portal.Grains.Model;

namespace Portal.Grains.Tests;

/// <summary>A co-hosted silo with the SQLite ledger in a temp dir and a fake election clock (after polls close).</summary>
public sealed class SiloFixture : IAsyncLifetime
{
    public const string ElectionId = "grain-test";
    public static readonly DateTimeOffset Close = new(2024, 10, 27, 20, 0, 0, TimeSpan.FromHours(5));
    private readonly TempDirectory _dir = new("grains-");
    private IHost _host = null!;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();
    public ILedgerStore Ledger => _host.Services.GetRequiredService<ILedgerStore>();
    public FakeTimeProvider Time { get; } = new(Close.AddHours(1));

    /// <summary>Constituencies W (2 stations), R (2), N (2), P (3), I (2), F (2, with a camera each); candidates x-1..x-3 each.</summary>
    public static ElectionDefinition Election()
    {
        var constituencies = new[] { ("W", 2), ("R", 2), ("N", 2), ("P", 3), ("I", 2), ("F", 2) };
        var builder = TestElections.Create(ElectionId).Polls(Close.AddHours(-12), Close).Region("r")
            .Contest("leg", "legislative", contest =>
            {
                foreach (var (id, _) in constituencies)
                    contest.Constituency(id, "r", null, Enumerable.Range(1, 3).Select(i => TestElections.Candidate($"{id}-{i}", $"{id} {i}", "p")));
            });
        foreach (var (id, stations) in constituencies)
            for (var i = 1; i <= stations; i++)
                builder.Station($"{id}{i}", "r", voters: 1000, [("leg", id)], id == "F" ? [TestElections.Camera($"cam-{id}{i}", "demo")] : [], number: i);
        return builder.Build();
    }

    public async ValueTask InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var catalog = new ElectionCatalog(Election(), []);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(ElectionClock.FromTimeProvider(catalog, Time));
        var dir = _dir.Path;
        builder.Services.AddSingleton<ILedgerStore>(sp => new SqliteLedgerStore(Path.Combine(dir, "ledger.db"), true, 256,
            sp.GetRequiredService<ILogger<SqliteLedgerStore>>()));
        builder.UseOrleans(silo => silo.UseLocalhostClustering(TestPorts.Free(), TestPorts.Free()).AddMemoryGrainStorage(GrainStorageNames.Default));
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        _dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloFixture>
{
    public const string Name = "silo";
}
