using System.Diagnostics;
using System.Net.Sockets;

namespace Portal.TestSupport;

/// <summary>A real redis-server on a free loopback port in a temp dir, stopped and removed on dispose.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process _process;
    private readonly string _dir;

    private RedisServer(Process process, string dir, int port) { _process = process; _dir = dir; Port = port; }

    public int Port { get; }
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var dir = Directory.CreateTempSubdirectory("redis-").FullName;
        var port = TestPorts.Free();
        var server = new RedisServer(Launch(dir, port), dir, port);
        try
        {
            await server.WaitForListenerAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>SIGKILL (no shutdown save: only the AOF, fsynced on every write, survives), then the same port and dir again.</summary>
    public async Task CrashAndRestartAsync(TimeSpan down)
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        await Task.Delay(down); // deliberate: the outage the test asks for, not a wait for a condition
        _process = Launch(_dir, Port);
        await WaitForListenerAsync();
    }

    private static Process Launch(string dir, int port)
    {
        var exe = RequiredTool.Find("redis-server", "apt-get install -y redis-server");
        var process = Process.Start(new ProcessStartInfo(exe)
        {
            ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "yes", "--appendfsync", "always" },
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private async Task WaitForListenerAsync()
    {
        var (_, listening) = await Wait.ProbeAsync(async () =>
        {
            try { using var client = new TcpClient(); await client.ConnectAsync("127.0.0.1", Port); return true; }
            catch (SocketException) { return false; }
        }, up => up, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
        if (!listening) throw new InvalidOperationException("redis-server did not start listening within 20 s");
    }

    public async ValueTask DisposeAsync()
    {
        try { if (!_process.HasExited) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); } }
        finally { _process.Dispose(); try { Directory.Delete(_dir, true); } catch (IOException) { } }
    }
}
