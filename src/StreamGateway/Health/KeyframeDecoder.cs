using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Portal.StreamGateway.Supervision;

namespace Portal.StreamGateway.Health;

/// <summary>
/// One long-running ffmpeg for the whole node that decodes single H.264 keyframes: each access unit written to its stdin
/// (<see cref="KeyframeAccessUnit"/>) comes back on stdout as one small RGBA picture of a fixed size, in order. A
/// keyframe costs its decode (~2-3 ms for 720p, one thread, no deblocking), not a process start, a probe and a decoder
/// set-up (~11-17 ms a thumbnail in the batched process this replaced, docs/perf.md). The decoder re-initialises itself
/// when a camera of another resolution follows (new SPS). Started through the <see cref="FfmpegLauncher"/> (it dies
/// with the node); restarted when it exits, ended when a picture does not come back in time. Not thread-safe: one
/// caller (the <see cref="SegmentThumbnailer"/>'s loop).
/// </summary>
public sealed partial class KeyframeDecoder(FfmpegLauncher launcher, int width, int height, ILogger logger) : IAsyncDisposable
{
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(3);

    private Process? _process;
    private bool _primed;

    public int Width => width;

    public int Height => height;

    public int FrameBytes => width * height * 4;

    /// <summary>The running decoder's process id (null: none running now).</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>Processes started (the first one included): a metric for the tests and the logs.</summary>
    public int Starts { get; private set; }

    /// <summary>The ffmpeg arguments: raw H.264 in, one thread, no deblocking, no frame-rate logic, raw RGBA at a fixed size out.</summary>
    public static IReadOnlyList<string> Arguments(int width, int height) =>
    [
        // fatal only: the AUD after each picture is an access unit without a picture, which ffmpeg reports as an error every time.
        "-hide_banner", "-nostats", "-loglevel", "fatal",
        "-probesize", "32", "-analyzeduration", "0", "-fflags", "nobuffer", "-flags", "low_delay",
        "-skip_loop_filter", "all", "-threads", "1", "-f", "h264", "-i", "pipe:0",
        "-an", "-fps_mode", "passthrough", "-filter_threads", "1",
        "-vf", string.Create(CultureInfo.InvariantCulture, $"scale={width}:{height}:flags=fast_bilinear"),
        "-threads", "1", "-f", "rawvideo", "-pix_fmt", "rgba", "pipe:1",
    ];

    /// <summary>
    /// Decodes one prepared access unit into <paramref name="rgba"/> (<see cref="FrameBytes"/> long). False: no picture
    /// (the process failed or was stuck and has been ended; the next call starts another).
    /// </summary>
    public async Task<bool> DecodeAsync(byte[] accessUnit, byte[] rgba, CancellationToken cancellation)
    {
        var process = _process is { HasExited: false } running ? running : await StartAsync();
        if (process is null) return false;
        try
        {
            var input = process.StandardInput.BaseStream;
            // A fresh ffmpeg keeps the first picture while it probes the stream: the first one is written twice, read once.
            if (!_primed) await input.WriteAsync(accessUnit, cancellation);
            _primed = true;
            await input.WriteAsync(accessUnit, cancellation);
            await input.FlushAsync(cancellation);
            var read = ReadFrameAsync(process.StandardOutput.BaseStream, rgba);
            if (await Task.WhenAny(read, Task.Delay(FrameTimeout, cancellation)) == read && await read) return true;
            if (!cancellation.IsCancellationRequested) LogStuck(logger, process.HasExited ? "exited" : "no picture in time");
            // Ended before the next start: the old process's pending read must not write into the next picture.
            await StopAsync();
            try
            {
                await read;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
        catch (IOException e)
        {
            LogStuck(logger, e.Message);
        }
        await StopAsync();
        cancellation.ThrowIfCancellationRequested();
        return false;
    }

    private static async Task<bool> ReadFrameAsync(Stream output, byte[] rgba)
    {
        var got = 0;
        while (got < rgba.Length)
        {
            var n = await output.ReadAsync(rgba.AsMemory(got));
            if (n == 0) return false;
            got += n;
        }
        return true;
    }

    private async Task<Process?> StartAsync()
    {
        await StopAsync();
        var info = new ProcessStartInfo(launcher.FfmpegPath)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false,
        };
        foreach (var a in Arguments(width, height)) info.ArgumentList.Add(a);
        try
        {
            // Forked on the launcher's thread, so the kernel ends it with this node (PR_SET_PDEATHSIG).
            _process = await launcher.StartAsync(() => Task.FromResult(Process.Start(info)!));
            _primed = false;
            Starts++;
            return _process;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            LogStuck(logger, e.Message);
            return null;
        }
    }

    private async Task StopAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        try
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
        }
        process.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    [LoggerMessage(LogLevel.Warning, "Keyframe decoder ended ({Reason}); the next keyframe starts another")]
    private static partial void LogStuck(ILogger logger, string reason);
}
