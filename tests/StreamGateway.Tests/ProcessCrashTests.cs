using Portal.Grains.Abstractions;
using Portal.Grains.Model;
using Portal.StreamGateway.Tests.Infrastructure;

namespace Portal.StreamGateway.Tests;

public sealed class ProcessCrashTests(ClusterFixture cluster, RtspServer server)
{
    [Fact]
    public async Task KilledFfmpegIsRestartedAndTheHistoryShowsIt()
    {
        await using var publisher = Publisher.Start(Publisher.Moving, server.PublishUrl("kill"));
        await using var gateway = await GatewayHost.StartAsync(cluster.Grains, [new CameraDefinition { Id = "cam-kill", Source = server.ReadUrl("kill") }]);
        await Tools.WaitFor(() => cluster.StatusAsync("cam-kill"), s => s.State == CameraState.Live, TimeSpan.FromSeconds(40), "live");
        var before = await cluster.StatusAsync("cam-kill");

        var pid = FfmpegPids(gateway.CameraDir("cam-kill")).Single();
        System.Diagnostics.Process.GetProcessById(pid).Kill();

        var after = await Tools.WaitFor(() => cluster.StatusAsync("cam-kill"),
            s => s.Restarts > before.Restarts && s.State == CameraState.Live && s.History.Count > before.History.Count + 1,
            TimeSpan.FromSeconds(30), "restarted and live");
        var newPid = FfmpegPids(gateway.CameraDir("cam-kill")).Single();
        Assert.NotEqual(pid, newPid);
        var states = after.History.Skip(before.History.Count).Select(h => h.State).ToList();
        Assert.Contains(CameraState.Stalled, states);
        Assert.Equal(CameraState.Live, states[^1]);
        Assert.Contains(after.History, h => h.State == CameraState.Stalled && h.Reason is not null && h.Reason.Contains("ffmpeg exited", StringComparison.Ordinal));
    }

    /// <summary>ffmpeg processes writing into the camera's folder (the folder path is on their command line).</summary>
    internal static List<int> FfmpegPids(string cameraDir)
    {
        var pids = new List<int>();
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid)) continue;
            try
            {
                var cmd = File.ReadAllText(Path.Combine(proc, "cmdline")).Split('\0');
                if (cmd.Length > 0 && Path.GetFileName(cmd[0]) == "ffmpeg" && cmd.Any(a => a.StartsWith(cameraDir + "/", StringComparison.Ordinal))) pids.Add(pid);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return pids;
    }
}
