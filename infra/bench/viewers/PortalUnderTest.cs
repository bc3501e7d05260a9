using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

/// <summary>What the benchmarks that start a portal process ask of it: where it is built, ports, readiness and resident memory.</summary>
internal static class PortalUnderTest
{
    /// <summary>The repository root, found from the benchmark's own output folder.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("run from the repository");
    }

    /// <summary>The Portal.dll built in the same configuration as the benchmark (bin/&lt;Configuration&gt;/net10.0/).</summary>
    public static string PortalDll() => Path.Combine(RepositoryRoot(), "src", "Portal", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "Portal.dll");

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A child process (portal, redis-server, nginx) whose output is read and dropped, so its pipes never fill.</summary>
    public static Process StartQuiet(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) info.Environment[k] = v;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    public static async Task WaitReadyAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            try { if ((await http.GetAsync("/healthz/ready")).IsSuccessStatusCode) return; } catch (HttpRequestException) { } catch (TaskCanceledException) { }
            await Task.Delay(500);
        }
        throw new TimeoutException("the portal did not become ready");
    }

    public static long Rss(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }
}
