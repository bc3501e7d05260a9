using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Portal.Grains.Model;
using Portal.Tests.Infrastructure;
using Serilog.Core;
using Serilog.Events;

namespace Portal.Tests.Live;

/// <summary>
/// The real host on a real loopback socket (Kestrel), for clients that need one: raw sockets that never read, nginx in
/// front, every SignalR transport. The demo day's polls on the real clock, no simulator: the tests make the traffic.
/// 127.0.0.1 is the trusted proxy (where nginx connects from); 127.0.0.2 is an ordinary client that may lie in
/// X-Forwarded-For.
/// </summary>
public sealed class LiveSocketHostFactory : InMemoryPortalFactory
{
    /// <summary>Connection starts one address may make per (60 s) window: 200 viewers fit, and a flood of 451 does not.</summary>
    public const int ConnectsPerWindow = 450;
    public static readonly IPAddress UntrustedClient = IPAddress.Parse("127.0.0.2");

    public LiveSocketHostFactory() : base("portal-live-socket-") =>
        UseKestrel(o => o.Listen(IPAddress.Loopback, Port));

    public int Port { get; } = TestPorts.Free();
    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Demo:Stations", "50");
        builder.UseSetting("Demo:Day", DateTime.UtcNow.AddHours(5).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Demo:ActiveCameraStations", "0");
        builder.UseSetting("Simulator:Enabled", "false");
        builder.UseSetting("Management:Urls", $"http://127.0.0.1:{TestPorts.Free()}");
        builder.UseSetting("PublicWeb:TrustedProxies", "127.0.0.1");
        builder.UseSetting("PublicWeb:HubRequestsPerWindow", ConnectsPerWindow.ToString(CultureInfo.InvariantCulture));
        builder.UseSetting("PublicWeb:RateLimitWindowSeconds", "60");
        builder.UseSetting("LiveFeed:FaultSummarySeconds", "1");
        builder.ConfigureServices(services => services.AddSingleton<ILogEventSink>(Log));
    }

    /// <summary>Everything the host logs through Serilog, beside its console output.</summary>
    public CapturingSink Log { get; } = new();

    public sealed class CapturingSink : ILogEventSink
    {
        public ConcurrentQueue<LogEvent> Events { get; } = new();
        public void Emit(LogEvent logEvent) => Events.Enqueue(logEvent);
    }

    public ElectionCatalog Catalog => Services.GetRequiredService<ElectionCatalog>();

    public string ElectionTopic => $"election:{Catalog.Election.Id}";

    public string StationTopic(int index) => $"station:{Catalog.Election.Id}:{Catalog.Stations.OrderBy(s => s.Id, StringComparer.Ordinal).ElementAt(index).Id}";

    /// <summary>A SignalR client on one transport (WebSockets without negotiation, like the pages' client first tries).</summary>
    public HubConnection Hub(HttpTransportType transport = HttpTransportType.WebSockets, Uri? baseAddress = null) => new HubConnectionBuilder()
        .WithUrl(new Uri(baseAddress ?? BaseAddress, "/hubs/live"), o =>
        {
            o.Transports = transport;
            o.SkipNegotiation = transport == HttpTransportType.WebSockets;
        })
        .Build();
}
