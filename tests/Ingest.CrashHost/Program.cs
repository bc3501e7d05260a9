using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Portal.Grains;
using Portal.Grains.Model;
using Portal.Apis;
using Portal.Ingest.Apis;
using Portal.Ingest.Extensions;

// A small stand-alone portal for the crash-safety test: silo + SQLite ledger + station API + read API on a data dir.
// Args: --election FILE --station-keys FILE --data-dir DIR --election-now ISO8601. Prints "LISTENING <url>" when ready.
string Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? throw new ArgumentException($"{name} is required");
var election = ElectionDefinitionLoader.LoadFile(Arg("--election"));
var keys = StationKeyFiles.ReadPublic(Arg("--station-keys"));
var catalog = new ElectionCatalog(election, keys);
var now = DateTimeOffset.Parse(Arg("--election-now"), CultureInfo.InvariantCulture);

var builder = WebApplication.CreateBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Configuration["data-dir"] = Arg("--data-dir");
builder.Services.AddSingleton(catalog);
builder.Services.AddSingleton(ElectionClock.FromTimeProvider(catalog, new FixedTime(now)));
builder.UseOrleans(silo => silo.UseLocalhostClustering(FreePort(), FreePort()).AddMemoryGrainStorage(GrainStorageNames.Default));
builder.AddStationApi();
builder.AddPublicReadApi();
var app = builder.Build();
app.MapStationApi();
app.MapPublicReadApi();
await app.StartAsync();
Console.WriteLine($"LISTENING {app.Urls.First()}");
await app.WaitForShutdownAsync();

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
}
