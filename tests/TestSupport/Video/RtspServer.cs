using System.Net.Sockets;
using Xunit;

namespace Portal.TestSupport;

/// <summary>
/// Debian's rtsp-server-perl on free ports: publishers push to SourcePort, readers (the gateway) pull from ClientPort over UDP.
/// One server for the whole run, each test on its own mount: the server resets its RTP port counter to the built-in 20000
/// whenever it has no mount (RTSP::Server::housekeeping ignores --rtp_start_port) and does not check its UDP binds, so two
/// servers on one machine end up fighting over the same RTP ports.
/// </summary>
public sealed class RtspServer : IAsyncLifetime
{
    private ManagedProcess? _process;

    public int ClientPort { get; private set; }

    public int SourcePort { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var started = await StartAsync();
        (_process, ClientPort, SourcePort) = (started.Process, started.Client, started.Source);
    }

    public string PublishUrl(string name) => $"rtsp://127.0.0.1:{SourcePort}/{name}";

    public string ReadUrl(string name, string? credentials = null) => $"rtsp://{(credentials is null ? "" : credentials + "@")}127.0.0.1:{ClientPort}/{name}";

    private static async Task<(ManagedProcess Process, int Client, int Source)> StartAsync()
    {
        var client = TestPorts.Free();
        var source = TestPorts.Free();
        var process = ManagedProcess.Start("rtsp-server-perl", $"-c {client} -s {source} -l 2");
        async Task<bool> Listening()
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", client);
                using var tcp2 = new TcpClient();
                await tcp2.ConnectAsync("127.0.0.1", source);
                return true;
            }
            catch (SocketException) when (!process.HasExited) { return false; }
            catch (SocketException) { return true; } // exited: reported below
        }
        var (_, listening) = await Wait.ProbeAsync(Listening, up => up, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        if (!listening || process.HasExited)
        {
            await process.DisposeAsync();
            Assert.Fail($"rtsp-server-perl did not start: {process.Output}");
        }
        return (process, client, source);
    }

    public ValueTask DisposeAsync() => _process?.DisposeAsync() ?? ValueTask.CompletedTask;
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
