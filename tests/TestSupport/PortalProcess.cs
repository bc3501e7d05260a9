using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace Portal.TestSupport;

/// <summary>The real portal binary as a separate process, for tests about the process: start-up, crashes, clusters.</summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private PortalProcess(Process process, Uri baseAddress, Uri managementAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        ManagementAddress = managementAddress;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    /// <summary>The management listener (metrics, /healthz, /healthz/cluster): a free port of its own per process.</summary>
    public Uri ManagementAddress { get; }
    public string Output => string.Join('\n', _output);
    public bool HasExited => _process.HasExited;
    public int Pid => _process.Id;
    public int ExitCode => _process.ExitCode;

    /// <summary>The Portal.dll built beside this test run (the test project references the portal, so it is built first).</summary>
    public static string PortalDll
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = dir.Parent!.Name; // bin/<Configuration>/net10.0/
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) dir = dir.Parent;
            Assert.NotNull(dir);
            var dll = Path.Combine(dir.FullName, "src", "Portal", "bin", configuration, "net10.0", "Portal.dll");
            Assert.True(File.Exists(dll), $"the portal is not built at {dll}");
            return dll;
        }
    }

    public static PortalProcess Start(IEnumerable<string> args, int? httpPort = null)
    {
        var port = httpPort ?? TestPorts.Free();
        var managementPort = TestPorts.Free();
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(PortalDll)!,
        };
        info.ArgumentList.Add(PortalDll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{port}");
        info.ArgumentList.Add("--Management:Urls");
        info.ArgumentList.Add($"http://127.0.0.1:{managementPort}");
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        return new PortalProcess(Process.Start(info)!, new Uri($"http://127.0.0.1:{port}"), new Uri($"http://127.0.0.1:{managementPort}"));
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Polls <c>/healthz/ready</c> until it answers 200, failing with the process output if it does not.</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        await Wait.UntilAsync(async () =>
        {
            if (_process.HasExited) Assert.Fail($"the portal exited with {_process.ExitCode}:\n{Output}");
            try
            {
                return (await http.GetAsync("/healthz/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException) { return false; }
            catch (TaskCanceledException) { return false; }
        }, $"the portal to be ready within {timeout}", timeout, () => Output, TimeSpan.FromMilliseconds(250));
    }

    public void Kill() { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }

    /// <summary>SIGKILL to the portal process alone, as the OOM killer or a crash would end it: its children are not signalled.</summary>
    public void KillProcessOnly() { if (!_process.HasExited) _process.Kill(entireProcessTree: false); }

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
