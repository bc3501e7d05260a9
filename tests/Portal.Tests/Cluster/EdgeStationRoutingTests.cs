using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Cluster;

/// <summary>
/// The edge's station route (infra/cluster/nginx.conf.template, upstream portal_stations): every submission of one station
/// reaches the same web node while it is up, different stations spread over the nodes, and a node that is down is skipped.
/// What is tested is the edge's configuration in real nginx, so the web nodes here are three small Kestrel servers that say
/// which node answered (a portal node would answer the same way at this point: the route is decided before it).
/// </summary>
public sealed class EdgeStationRoutingTests
{
    [Fact]
    public async Task AStationsSubmissionsReachOneWebNodeAndAStoppedNodesStationsMoveToAnother()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dir = new TempDirectory("portal-edge-routing-");
        var nodes = Enumerable.Range(1, 3).Select(i => new NamedHttpNode($"node-{i}")).ToList();
        try
        {
            await using var edge = await NginxEdge.StartAsync(Path.Combine(dir.Path, "nginx"), nodes.Select(n => n.Address), nodes.Select(n => n.Address));
            using var http = new HttpClient { BaseAddress = edge.BaseAddress };
            var stations = Enumerable.Range(1, 30).Select(i => $"1-{i:0000}").ToList();

            async Task<string> PostAsync(string station, string kind)
            {
                using var response = await http.PostAsync($"/api/v1/stations/{station}/{kind}", new StringContent("{}", Encoding.UTF8, "application/json"), ct);
                Assert.Equal(HttpStatusCode.Created, response.StatusCode);
                return await response.Content.ReadAsStringAsync(ct);
            }

            var first = new Dictionary<string, string>();
            foreach (var station in stations)
            {
                var answered = new[] { await PostAsync(station, "turnout"), await PostAsync(station, "protocol"), await PostAsync(station, "turnout") };
                Assert.True(answered.Distinct().Count() == 1, $"station {station}'s submissions reached {string.Join(", ", answered)}");
                first[station] = answered[0];
            }
            Assert.True(first.Values.Distinct().Count() >= 2, $"30 stations all went to {first.Values.First()}");

            // A node that is down: its stations are answered by the others, the rest stay where they were.
            var stopped = nodes.First(n => first.ContainsValue(n.Name));
            stopped.Dispose();
            foreach (var station in stations)
            {
                var now = await PostAsync(station, "turnout");
                if (first[station] == stopped.Name) Assert.NotEqual(stopped.Name, now);
                else Assert.Equal(first[station], now);
            }
        }
        finally
        {
            foreach (var node in nodes) node.Dispose();
        }
    }

    /// <summary>A Kestrel server on a free port that answers every station submission with 201 and its own name.</summary>
    private sealed class NamedHttpNode : IDisposable
    {
        private readonly WebApplication _app;

        public NamedHttpNode(string name)
        {
            Name = name;
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            _app = builder.Build();
            _app.MapPost("/api/v1/stations/{**rest}", () => Results.Text(name, statusCode: StatusCodes.Status201Created));
            _app.StartAsync().GetAwaiter().GetResult();
            Address = new Uri(_app.Urls.First());
        }

        public string Name { get; }
        public Uri Address { get; }

        private bool _stopped;

        public void Dispose()
        {
            if (_stopped) return;
            _stopped = true;
            _app.StopAsync().GetAwaiter().GetResult();
            _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
