using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.Tests.Infrastructure;

namespace Portal.Tests.Cluster;

/// <summary>A generated election written as an election file with its public keys; the private keys sign the test's reports.</summary>
public sealed record TestElectionFiles(ElectionDefinition Election, string ElectionPath, string KeysPath, IReadOnlyList<StationPrivateKey> PrivateKeys)
{
    public static TestElectionFiles Write(string dir, int stations, int cameraStations, int seed)
    {
        var election = DemoElectionGenerator.Generate(new() { Stations = stations, Seed = seed, ActiveCameraStations = cameraStations });
        var electionPath = Path.Combine(dir, "election.json");
        ElectionDefinitionLoader.Save(election, electionPath);
        var (publicKeys, privateKeys) = DemoElectionGenerator.GenerateKeys(election.Stations);
        var keysPath = Path.Combine(dir, "keys.csv");
        StationKeyFiles.WritePublic(keysPath, publicKeys);
        return new TestElectionFiles(election, electionPath, keysPath, privateKeys);
    }

    /// <summary>
    /// The arguments of one cluster node on <paramref name="redis"/>, as the README starts one: role <paramref name="role"/>
    /// (all, web or gateway), its own data dir under <paramref name="dir"/>, and the video folder every node of the test's
    /// cluster shares (<c>{dir}/video</c>).
    /// </summary>
    public string[] ClusterNode(string dir, string name, string redis, string clusterId, string role, params string[] extra) =>
    [
        "--election", ElectionPath, "--station-keys", KeysPath, "--data-dir", Path.Combine(dir, name),
        "--Cluster:Enabled", "true", "--Cluster:Redis", redis, "--Cluster:ClusterId", clusterId, "--Cluster:Role", role,
        "--Cluster:SiloPort", TestPorts.Free().ToString(), "--Cluster:GatewayPort", TestPorts.Free().ToString(),
        "--Gateway:DataDir", Path.Combine(dir, "video"),
        // The tests connect every viewer and send every report from one address.
        "--PublicWeb:HubRequestsPerWindow", "100000", "--PublicWeb:ApiRequestsPerWindow", "100000",
        .. extra,
    ];
}

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
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (edge._process.HasExited) Assert.Fail($"nginx exited with {edge._process.ExitCode}: {edge.ErrorLog}");
            try { using var client = new TcpClient(); await client.ConnectAsync("127.0.0.1", port); return edge; }
            catch (SocketException) { await Task.Delay(100); }
        }
        await edge.DisposeAsync();
        Assert.Fail("nginx did not listen within 10 s");
        return null!;
    }

    /// <summary>The access-log lines (cache status and upstream per request) once nginx has flushed them (1 s buffer).</summary>
    public async Task<IReadOnlyList<string>> AccessLogAsync(Func<IReadOnlyList<string>, bool> until, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<string> lines = [];
        do
        {
            lines = File.Exists(AccessLogPath) ? await File.ReadAllLinesAsync(AccessLogPath) : [];
            if (until(lines)) return lines;
            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);
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
