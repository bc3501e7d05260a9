namespace Portal.Tests.Infrastructure;

/// <summary>The ffmpeg processes of this machine that write into a video folder, read from /proc.</summary>
public static class FfmpegProcesses
{
    public sealed record Entry(int Pid, int ParentPid, string CameraId);

    /// <summary>Every ffmpeg whose command line writes into <c>{videoDir}/{cameraId}/</c>, with its parent process.</summary>
    public static List<Entry> In(string videoDir)
    {
        var prefix = Path.GetFullPath(videoDir).TrimEnd('/') + "/";
        var found = new List<Entry>();
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(proc), out var pid)) continue;
            try
            {
                var cmd = File.ReadAllText(Path.Combine(proc, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
                if (cmd.Length == 0 || Path.GetFileName(cmd[0]) != "ffmpeg") continue;
                var target = cmd.FirstOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal));
                if (target is null) continue;
                var camera = target[prefix.Length..].Split('/')[0];
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after the last ')'.
                var stat = File.ReadAllText(Path.Combine(proc, "stat"));
                var ppid = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
                found.Add(new Entry(pid, ppid, camera));
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>Running, not merely a zombie waiting for a parent that reaps it.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
