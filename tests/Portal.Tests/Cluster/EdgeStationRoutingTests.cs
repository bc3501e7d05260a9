using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Cluster;

/// <summary>
/// The edge's station route (infra/cluster/nginx.conf.template, upstream portal_stations): every submission of one station
/// reaches the same web node while it is up, different stations spread over the nodes, and a node that is down is skipped.
/// What is tested is the edge's configuration in real nginx, so the web nodes here are three small HTTP listeners that say
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

    /// <summary>A minimal HTTP/1.1 server on a free port that answers every request with 201 and its own name.</summary>
    private sealed class NamedHttpNode : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new();
        private readonly ConcurrentBag<TcpClient> _clients = [];

        public NamedHttpNode(string name)
        {
            Name = name;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Address = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
            _ = AcceptAsync();
        }

        public string Name { get; }
        public Uri Address { get; }

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    _clients.Add(client);
                    _ = ServeAsync(client);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[16 * 1024];
                var pending = new StringBuilder();
                while (!_stop.IsCancellationRequested)
                {
                    var read = await stream.ReadAsync(buffer, _stop.Token);
                    if (read == 0) return;
                    pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    // One request per header block and its Content-Length body (nginx sends keep-alive HTTP/1.1).
                    while (TryTakeRequest(pending))
                    {
                        var body = Encoding.UTF8.GetBytes(Name);
                        var head = $"HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n";
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), _stop.Token);
                        await stream.WriteAsync(body, _stop.Token);
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
        }

        private static bool TryTakeRequest(StringBuilder pending)
        {
            var text = pending.ToString();
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0) return false;
            var length = 0;
            foreach (var line in text[..end].Split("\r\n"))
                if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            if (text.Length < end + 4 + length) return false;
            pending.Remove(0, end + 4 + length);
            return true;
        }

        public void Dispose()
        {
            if (_stop.IsCancellationRequested) return;
            _stop.Cancel();
            _listener.Stop();
            foreach (var client in _clients) client.Dispose();
        }
    }
}
