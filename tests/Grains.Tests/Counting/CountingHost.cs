using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;
using Portal.Grains.Counting;
using Portal.Grains.Demo;
using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.Grains.Storage;

namespace Portal.Grains.Tests.Counting;

/// <summary>
/// A co-hosted silo with the demo election (six ballot-box cameras), a fake election clock after close (every clip is in
/// the archive) and the counting state in SQLite at <paramref name="dir"/>: a second host on the same folder is a restart.
/// </summary>
public sealed class CountingHost(string dir, int clipMinutes = 40) : IAsyncDisposable
{
    public static readonly DemoElectionOptions Demo = new() { Stations = 60, ActiveCameraStations = 6, ElectionDay = new(2024, 10, 27) };
    private IHost? _host;

    public static ElectionCatalog Catalog { get; } = new(DemoElectionGenerator.Generate(Demo), []);
    public IGrainFactory Grains => _host!.Services.GetRequiredService<IGrainFactory>();
    public CountingPlan Plan => _host!.Services.GetRequiredService<CountingPlan>();
    public string ElectionId => Catalog.Election.Id;

    public async Task StartAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Counting:ClipMinutes"] = clipMinutes.ToString() });
        builder.Services.AddSingleton(Catalog);
        builder.Services.AddSingleton(ElectionClock.FromTimeProvider(Catalog, new FakeTimeProvider(Catalog.Election.PollsClose.AddHours(1))));
        builder.Services.AddOptions<CountingOptions>().BindConfiguration(CountingOptions.Section);
        builder.Services.AddOptions<DemoOptions>();
        builder.Services.AddSingleton<CountingPlan>();
        builder.Services.AddSingleton<ILedgerStore>(sp => new SqliteLedgerStore(Path.Combine(dir, "ledger.db"), true, 256, sp.GetRequiredService<ILogger<SqliteLedgerStore>>()));
        var path = Path.Combine(dir, "counting.db");
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePort(), FreePort()).AddMemoryGrainStorage(GrainStorageNames.Default);
            silo.Services.AddKeyedSingleton<IGrainStorage>(GrainStorageNames.Durable, (sp, _) => new SqliteGrainStorage(path, sp.GetRequiredService<IGrainStorageSerializer>()));
        });
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_host is null) return;
        await _host.StopAsync();
        _host.Dispose();
        _host = null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
