using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Cluster;

/// <summary>
/// nginx from Debian with the repository's edge configuration (infra/cluster/nginx.conf.template, rendered by
/// infra/cluster/render-nginx.sh) in front of the given nodes, in the foreground as a child of the test.
/// </summary>
public sealed class NginxEdge : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private NginxEdge(Process process, string dir, int port)
    {
        _process = process;
        Dir = dir;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }
    public string Dir { get; }
    public string AccessLogPath => Path.Combine(Dir, "access.log");
    public string ErrorLog => File.Exists(Path.Combine(Dir, "error.log")) ? File.ReadAllText(Path.Combine(Dir, "error.log")) : string.Join('\n', _output);

    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) dir = dir.Parent;
            Assert.NotNull(dir);
            return dir.FullName;
        }
    }

    public static async Task<NginxEdge> StartAsync(string dir, IEnumerable<Uri> web, IEnumerable<Uri> video)
    {
        var nginx = RequiredTool.Find("nginx", "apt-get install -y nginx");
        RequiredTool.Find("python3", "apt-get install -y python3");
        Directory.CreateDirectory(dir);
        var port = TestPorts.Free();
        var render = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        render.ArgumentList.Add(Path.Combine(RepositoryRoot, "infra", "cluster", "render-nginx.sh"));
        render.ArgumentList.Add(dir);
        render.ArgumentList.Add($"127.0.0.1:{port}");
        render.ArgumentList.Add(string.Join(' ', web.Select(u => u.Authority)));
        render.ArgumentList.Add(string.Join(' ', video.Select(u => u.Authority)));
        render.Environment["EDGE_WORKERS"] = "1";
        using (var rendering = Process.Start(render)!)
        {
            var errors = await rendering.StandardError.ReadToEndAsync();
            await rendering.WaitForExitAsync();
            Assert.True(rendering.ExitCode == 0, $"render-nginx.sh failed: {errors}");
        }
        var info = new ProcessStartInfo(nginx) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-p", dir, "-c", Path.Combine(dir, "nginx.conf"), "-e", Path.Combine(dir, "error.log"), "-g", "daemon off;" })
            info.ArgumentList.Add(a);
        var edge = new NginxEdge(Process.Start(info)!, dir, port);
        var (_, listening) = await Wait.ProbeAsync(async () =>
        {
            if (edge._process.HasExited) Assert.Fail($"nginx exited with {edge._process.ExitCode}: {edge.ErrorLog}");
            try { using var client = new TcpClient(); await client.ConnectAsync("127.0.0.1", port); return true; }
            catch (SocketException) { return false; }
        }, up => up, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        if (listening) return edge;
        await edge.DisposeAsync();
        Assert.Fail("nginx did not listen within 10 s");
        return null!;
    }

    /// <summary>The access-log lines (cache status and upstream per request) once nginx has flushed them (1 s buffer).</summary>
    public async Task<IReadOnlyList<string>> AccessLogAsync(Func<IReadOnlyList<string>, bool> until, TimeSpan timeout)
    {
        var (lines, _) = await Wait.ProbeAsync<IReadOnlyList<string>>(async () => File.Exists(AccessLogPath) ? await File.ReadAllLinesAsync(AccessLogPath) : [],
            until, timeout, TimeSpan.FromMilliseconds(250));
        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
