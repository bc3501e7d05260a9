using Microsoft.Extensions.Configuration;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Portal.Grains.Model;
using Portal.Apis;
using Portal.Ingest.Apis;
using Portal.Ingest.Extensions;
using Portal.Ingest.Simulation;

namespace Portal.Ingest.Tests.Infrastructure;

/// <summary>A real Kestrel host on 127.0.0.1:0 co-hosting an Orleans silo, the SQLite ledger, the station API and the read API.</summary>
public sealed class PortalTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory? _ownDir;

    private PortalTestHost(WebApplication app, FakeTimeProvider electionTime, string dataDir, TempDirectory? ownDir, ElectionDefinition election, IReadOnlyList<StationPrivateKey> keys)
    {
        _app = app;
        _ownDir = ownDir;
        ElectionTime = electionTime;
        DataDir = dataDir;
        Election = election;
        var address = app.Urls.First();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(60) };
        Stations = new StationClient(Http, StationClient.Index(keys));
    }

    public FakeTimeProvider ElectionTime { get; }
    public string DataDir { get; }
    public ElectionDefinition Election { get; }
    public HttpClient Http { get; }
    public StationClient Stations { get; }
    public IServiceProvider Services => _app.Services;
    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public static async Task<PortalTestHost> StartAsync(DateTimeOffset electionNow, string? dataDir = null,
        (ElectionDefinition Election, List<StationPublicKey> Public, List<StationPrivateKey> Private)? election = null,
        IDictionary<string, string?>? settings = null)
    {
        var (definition, publicKeys, privateKeys) = election ?? TestElection.Create();
        var ownDir = dataDir is null ? new TempDirectory("ledger-test-") : null;
        dataDir ??= ownDir!.Path;
        var electionTime = new FakeTimeProvider(electionNow);
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration["data-dir"] = dataDir;
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        var catalog = new ElectionCatalog(definition, publicKeys);
        builder.Services.AddSingleton(catalog);
        // With Demo:Enabled the real accelerated clock (registered by AddElectionLedger) drives the day instead.
        if (settings?.ContainsKey("Demo:Enabled") != true) builder.Services.AddSingleton(ElectionClock.FromTimeProvider(catalog, electionTime));
        var (siloPort, gatewayPort) = (FreePort(), FreePort());
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort)
            .AddMemoryGrainStorage(Portal.Grains.GrainStorageNames.Default)
            .AddMemoryGrainStorage(Portal.Grains.GrainStorageNames.Durable)); // volunteer counts (CountingGrain)
        builder.AddStationApi();
        builder.AddPublicReadApi();
        builder.AddStationSimulator();
        var app = builder.Build();
        app.UseOutputCache();
        app.MapStationApi();
        app.MapPublicReadApi();
        await app.StartAsync();
        return new PortalTestHost(app, electionTime, dataDir, ownDir, definition, privateKeys);
    }

    public async Task<(long Seq, string Hash)> HeadAsync()
    {
        var head = await Http.GetFromJsonAsync<HeadDto>("/api/v1/ledger/head");
        return (head!.Seq, head.Hash);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _ownDir?.Dispose(); // a data dir the caller gave is the caller's to remove
    }

    public static int FreePort() => TestPorts.Free();

    private sealed record HeadDto(long Seq, string Hash);
}
