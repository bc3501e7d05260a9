using System.Net;
using System.Net.Sockets;

namespace Portal.TestSupport;

public static class TestPorts
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A port that was free a moment ago and was not handed out before in this run.</summary>
    public static int Free()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Handed) if (Handed.Add(port)) return port;
        }
    }
}
