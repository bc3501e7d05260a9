using System.Collections.Concurrent;
using System.Globalization;
using FFMpegCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.StreamGateway.Supervision;

/// <summary>
/// Starts every ffmpeg of this node so that none outlives it, even when the node dies by SIGKILL or the OOM killer:
/// <list type="bullet">
/// <item>ffmpeg runs through a small wrapper that execs it under util-linux <c>setpriv --pdeathsig KILL</c>, so the
/// kernel kills it when its parent goes (PR_SET_PDEATHSIG). The signal follows the parent <em>thread</em> that forked
/// the child, so every start happens on one dedicated thread that lives as long as the launcher (never a thread-pool
/// thread, which the pool may retire at any time).</item>
/// <item>The wrapper marks its ffmpeg with <c>PORTAL_CHILD_OWNER</c> (this node's runtime folder); a node that starts
/// again ends whatever a previous run of it left (a run without the death signal, or a wrapper killed mid-exec).</item>
/// </list>
/// FFMpegCore still builds, runs and cancels the process; only its binary path points at the wrapper.
/// </summary>
public sealed partial class FfmpegLauncher : IDisposable
{
    public const string OwnerVariable = "PORTAL_CHILD_OWNER";
    private const string Setpriv = "/usr/bin/setpriv";

    private readonly BlockingCollection<Action> _starts = new();
    private readonly Thread _thread;
    private readonly ILogger<FfmpegLauncher> _logger;
    private readonly bool _ownsRuntimeDir;

    public FfmpegLauncher(IOptions<GatewayOptions> options, ILogger<FfmpegLauncher> logger)
    {
        _logger = logger;
        var o = options.Value;
        // Without a configured folder (a gateway hosted by something other than the portal, the tests) each launcher
        // takes a folder of its own, removed on dispose: two gateways in one process must never share one owner mark.
        _ownsRuntimeDir = string.IsNullOrWhiteSpace(o.RuntimeDir);
        RuntimeDir = Path.GetFullPath(_ownsRuntimeDir
            ? Path.Combine(Path.GetTempPath(), $"portal-gateway-{Environment.ProcessId}-{Guid.NewGuid():N}")
            : o.RuntimeDir);
        if (!File.Exists(Setpriv)) throw new InvalidOperationException($"{Setpriv} is missing (Debian package util-linux): ffmpeg could outlive the gateway without it");
        var ffmpeg = ResolveFfmpeg(o.FfmpegFolder);
        Directory.CreateDirectory(RuntimeDir);
        EndLeftovers(RuntimeDir);
        WriteWrapper(Path.Combine(RuntimeDir, "ffmpeg"), ffmpeg, RuntimeDir);
        _thread = new Thread(Run) { IsBackground = true, Name = "ffmpeg-launcher" };
        _thread.Start();
    }

    /// <summary>This node's own folder: the wrapper lives here and its path marks this node's ffmpeg processes.</summary>
    public string RuntimeDir { get; }

    /// <summary>The wrapper: what to start (on the launcher thread, <see cref="StartAsync{T}"/>) instead of ffmpeg itself.</summary>
    public string FfmpegPath => Path.Combine(RuntimeDir, "ffmpeg");

    /// <summary>The options FFMpegCore is given: its "ffmpeg" is the wrapper.</summary>
    public FFOptions FFOptions => new() { BinaryFolder = RuntimeDir };

    /// <summary>
    /// Runs <paramref name="start"/> on the launcher thread and returns the task it returned. FFMpegCore forks the
    /// process synchronously inside <c>ProcessAsynchronously</c>, before its first await, so the fork is on this thread.
    /// </summary>
    public Task<T> StartAsync<T>(Func<Task<T>> start)
    {
        var started = new TaskCompletionSource<Task<T>>(TaskCreationOptions.RunContinuationsAsynchronously);
        _starts.Add(() =>
        {
            try
            {
                started.SetResult(start());
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        });
        return started.Task.Unwrap();
    }

    private void Run()
    {
        foreach (var start in _starts.GetConsumingEnumerable()) start();
    }

    public void Dispose()
    {
        _starts.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
        try
        {
            if (_ownsRuntimeDir) Directory.Delete(RuntimeDir, recursive: true);
            else File.Delete(Path.Combine(RuntimeDir, "ffmpeg"));
        }
        catch (IOException)
        {
        }
    }

    private static string ResolveFfmpeg(string folder)
    {
        if (!string.IsNullOrWhiteSpace(folder))
        {
            var path = Path.GetFullPath(Path.Combine(folder, "ffmpeg"));
            return File.Exists(path) ? path : throw new InvalidOperationException($"ffmpeg is missing at {path} (Gateway:FfmpegFolder)");
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var path = Path.Combine(dir, "ffmpeg");
            if (File.Exists(path)) return Path.GetFullPath(path);
        }
        throw new InvalidOperationException("ffmpeg is not on PATH (Debian package ffmpeg; infra/setup.sh installs it)");
    }

    private static void WriteWrapper(string path, string ffmpeg, string owner)
    {
        var text = $"""
            #!/bin/sh
            # Written by the stream gateway: its ffmpeg is killed by the kernel when the gateway dies (PR_SET_PDEATHSIG).
            {OwnerVariable}={Quote(owner)}
            export {OwnerVariable}
            exec {Setpriv} --pdeathsig KILL -- {Quote(ffmpeg)} "$@"

            """;
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("the stream gateway runs ffmpeg on Linux (PR_SET_PDEATHSIG)");
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        File.Move(temp, path, overwrite: true);
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Kills processes marked with this owner: they belong to an earlier run of this node, never to this one.</summary>
    private void EndLeftovers(string owner)
    {
        var marker = $"{OwnerVariable}={owner}";
        var killed = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var environment = File.ReadAllText(Path.Combine(dir, "environ"));
                if (!environment.Split('\0').Contains(marker, StringComparer.Ordinal)) continue;
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
                killed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
        if (killed > 0) LogLeftovers(_logger, killed, owner);
    }

    [LoggerMessage(LogLevel.Warning, "Ended {Count} ffmpeg process(es) left by an earlier run of this node ({RuntimeDir})")]
    private static partial void LogLeftovers(ILogger logger, int count, string runtimeDir);
}
