using System.Diagnostics;
using Portal.Tests.Infrastructure;

namespace Portal.Tests;

/// <summary>No ffmpeg outlives the portal that started it, whatever ends the portal (embedded mode, real demo cameras).</summary>
public sealed class ChildProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("portal-children-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string[] EmbeddedDemo(string data) =>
    [
        "--data-dir", data, "--Demo:Stations", "30", "--Demo:ActiveCameraStations", "1", "--Simulator:Enabled", "false",
        "--Gateway:DemoFps", "5", "--Cluster:SiloPort", TestPorts.Free().ToString(), "--Cluster:GatewayPort", TestPorts.Free().ToString(),
    ];

    [Fact]
    public async Task AnEmbeddedPortalKilledBySigkillTakesItsFfmpegWithItWithinTwoSeconds()
    {
        RequiredTool.Find("ffmpeg", "apt-get install -y ffmpeg");
        var data = Path.Combine(_dir, "data");
        await using var portal = PortalProcess.Start(EmbeddedDemo(data));
        await portal.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        var video = Path.Combine(data, "video");
        var (children, _) = await Wait.ProbeAsync(() => Task.FromResult(FfmpegProcesses.In(video).Where(p => p.ParentPid == portal.Pid).ToList()),
            found => found.Count >= 2, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));
        Assert.Equal(2, children.Count);

        portal.KillProcessOnly();
        // The death signal ends them at once (2 s is the goal); an orphan lives on indefinitely: 10 s leaves a loaded box room.
        await Wait.UntilAsync(() => !children.Any(c => FfmpegProcesses.IsAlive(c.Pid)), "the portal's ffmpeg to die with it", TimeSpan.FromSeconds(10),
            () => $"still alive: {string.Join(", ", children.Where(c => FfmpegProcesses.IsAlive(c.Pid)).Select(c => $"{c.Pid} ({c.CameraId})"))}");
    }

    [Fact]
    public async Task ARestartedPortalEndsTheFfmpegAnEarlierRunOfItLeftBehind()
    {
        var ffmpeg = RequiredTool.Find("ffmpeg", "apt-get install -y ffmpeg");
        var data = Path.Combine(_dir, "data");
        // What a run without the death signal leaves: an ffmpeg marked as this node's, its parent long gone.
        var leftover = new ProcessStartInfo(ffmpeg) { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-nostdin", "-re", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=5", "-f", "null", "-" }) leftover.ArgumentList.Add(a);
        leftover.Environment["PORTAL_CHILD_OWNER"] = Path.Combine(data, "run");
        using var stale = Process.Start(leftover)!;
        try
        {
            // Going: ffmpeg prints its stream mapping once it has opened its input and output (a bad command line exits first).
            await ReadUntilAsync(stale.StandardError, "Stream mapping").WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            _ = stale.StandardError.BaseStream.CopyToAsync(Stream.Null); // drained from here on: a full pipe would stall it
            Assert.False(stale.HasExited);
            await using var portal = PortalProcess.Start(EmbeddedDemo(data));
            await portal.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
            Assert.True(stale.WaitForExit(TimeSpan.FromSeconds(10)), "the leftover ffmpeg still runs after the node started again");
            Assert.Contains("left by an earlier run of this node", portal.Output);
        }
        finally
        {
            if (!stale.HasExited) stale.Kill();
        }
    }

    private static async Task ReadUntilAsync(StreamReader reader, string text)
    {
        string? line;
        do line = await reader.ReadLineAsync();
        while (line is not null && !line.Contains(text, StringComparison.Ordinal));
    }
}
