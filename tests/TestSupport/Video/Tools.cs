using System.Diagnostics;
using Xunit;

namespace Portal.TestSupport;

/// <summary>The tools the video tests run (ffmpeg, ffprobe, rtsp-server-perl): found or failed with the package to install.</summary>
public static class Tools
{
    /// <summary>Fails (never skips) when a tool the test needs is missing, naming the Debian package that brings it.</summary>
    public static string Require(string tool) => RequiredTool.Find(tool, $"apt-get install {PackageOf(tool)}");

    private static string PackageOf(string tool) => tool == "ffprobe" ? "ffmpeg" : tool;

    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "gw-tests", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The video tests' wait: <see cref="Wait.ForAsync"/> probing every 200 ms (a probe may run ffprobe or read a playlist).</summary>
    public static Task<T> WaitFor<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what) =>
        Wait.ForAsync(probe, done, what, timeout, TimeSpan.FromMilliseconds(200));

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string tool, string arguments, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(Require(tool), arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(true);
            Assert.Fail($"{tool} did not finish in time");
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    public static async Task<byte[]> RunBytesAsync(string tool, string arguments)
    {
        var psi = new ProcessStartInfo(Require(tool), arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var buffer = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(buffer);
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        await copy;
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await stderr}");
        return buffer.ToArray();
    }
}

/// <summary>A helper process a test starts (RTSP server, publisher); killed with its children on dispose, also when the test fails.</summary>
public sealed class ManagedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ManagedProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output.TakeLast(30)); }
    }

    public static ManagedProcess Start(string tool, string arguments)
    {
        var psi = new ProcessStartInfo(Tools.Require(tool), arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        var process = new Process { StartInfo = psi };
        var managed = new ManagedProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (managed._output) managed._output.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (managed._output) managed._output.Add(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return managed;
    }

    /// <summary>SIGINT: ffmpeg ends cleanly (an RTSP publisher sends TEARDOWN, so the server drops the mount).</summary>
    public async Task InterruptAsync()
    {
        if (_process.HasExited) return;
        _ = Kill(_process.Id, 2);
        try
        {
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (OperationCanceledException)
        {
            await StopAsync();
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    public async Task StopAsync()
    {
        if (_process.HasExited) return;
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
        }
        catch (InvalidOperationException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }
}
