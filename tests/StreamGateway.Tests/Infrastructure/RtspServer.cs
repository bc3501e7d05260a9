using System.Net.Sockets;

namespace Portal.StreamGateway.Tests.Infrastructure;

/// <summary>Debian's rtsp-server-perl on free ports: publishers push to SourcePort, readers (the gateway) pull from ClientPort over UDP.</summary>
public sealed class RtspServer : IAsyncDisposable
{
    private static int _nextRtpBlock;
    private readonly ManagedProcess _process;

    private RtspServer(ManagedProcess process, int clientPort, int sourcePort)
    {
        _process = process;
        ClientPort = clientPort;
        SourcePort = sourcePort;
    }

    public int ClientPort { get; }

    public int SourcePort { get; }

    public string PublishUrl(string name) => $"rtsp://127.0.0.1:{SourcePort}/{name}";

    public string ReadUrl(string name, string? credentials = null) => $"rtsp://{(credentials is null ? "" : credentials + "@")}127.0.0.1:{ClientPort}/{name}";

    public static async Task<RtspServer> StartAsync()
    {
        var client = Tools.FreeTcpPort();
        var source = Tools.FreeTcpPort();
        // Each server gets its own block of RTP ports so parallel tests do not collide.
        var rtp = 20000 + (Interlocked.Increment(ref _nextRtpBlock) % 40) * 500 + Environment.ProcessId % 7 * 2;
        var process = ManagedProcess.Start("rtsp-server-perl", $"-c {client} -s {source} --rtp_start_port {rtp} -l 2");
        var server = new RtspServer(process, client, source);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", client);
                using var tcp2 = new TcpClient();
                await tcp2.ConnectAsync("127.0.0.1", source);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
            catch (SocketException)
            {
                await server.DisposeAsync();
                Assert.Fail($"rtsp-server-perl did not start: {process.Output}");
            }
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}

/// <summary>ffmpeg pushing a generated picture (H.264, optionally with AAC audio) into an RTSP server.</summary>
public static class Publisher
{
    public const string Moving = "-re -f lavfi -i testsrc2=size=320x240:rate=10";
    public const string Black = "-re -f lavfi -i color=c=black:size=320x240:rate=10";

    public static string Still(string png) => $"-re -loop 1 -framerate 10 -i \"{png}\"";

    public static ManagedProcess Start(string input, string url, bool audio = false) =>
        ManagedProcess.Start("ffmpeg",
            $"-hide_banner -loglevel error -nostdin {input} {(audio ? "-f lavfi -i sine=frequency=440:sample_rate=48000" : "")} " +
            $"-map 0:v {(audio ? "-map 1:a -c:a aac -b:a 64k" : "")} -c:v libx264 -preset ultrafast -tune zerolatency -pix_fmt yuv420p -g 10 -keyint_min 10 -sc_threshold 0 -crf 28 " +
            $"-f rtsp {url}");

    public static async Task<string> StillPictureAsync(string dir)
    {
        var png = Path.Combine(dir, "still.png");
        var (code, _, err) = await Tools.RunAsync("ffmpeg", $"-hide_banner -loglevel error -y -f lavfi -i testsrc2=size=320x240:rate=1 -frames:v 1 \"{png}\"");
        Assert.True(code == 0, err);
        return png;
    }
}
