using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Portal.StreamGateway.Archive;

public sealed record ArchiveUsage(long Bytes, int Segments, int Cameras, long DeletedSegments, DateTimeOffset At);

/// <summary>Keeps the archive within its retention time and disk budget, and reports how much it uses.</summary>
public sealed partial class ArchiveJanitor(CameraPaths paths, IOptions<GatewayOptions> options, ILogger<ArchiveJanitor> logger, TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    public ArchiveUsage? LastUsage { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    Sweep();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    LogSweepFailed(logger, ex.GetType().Name);
                }
                await Task.Delay(Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: drop what is older than the retention, then the oldest segments of all cameras while over the budget.</summary>
    public ArchiveUsage Sweep()
    {
        var o = options.Value;
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = now - o.Retention;
        long deleted = 0;
        var kept = new List<FileInfo>();
        var cameras = 0;
        if (!Directory.Exists(paths.Root)) return LastUsage = new ArchiveUsage(0, 0, 0, 0, time.GetUtcNow());
        foreach (var dir in new DirectoryInfo(paths.Root).EnumerateDirectories())
        {
            if (!CameraPaths.IsSafeCameraId(dir.Name)) continue;
            cameras++;
            foreach (var file in dir.EnumerateFiles("*.ts"))
            {
                if (!CameraPaths.IsSegmentName(file.Name)) continue;
                if (file.LastWriteTimeUtc < cutoff) { TryDelete(file); deleted++; }
                else kept.Add(file);
            }
            var indexDir = new DirectoryInfo(Path.Combine(dir.FullName, CameraPaths.IndexFolder));
            if (indexDir.Exists)
                foreach (var idx in indexDir.EnumerateFiles("*.idx").Where(f => f.LastWriteTimeUtc < cutoff)) TryDelete(idx);
        }
        var bytes = kept.Sum(f => f.Length);
        if (o.MaxDiskBytes > 0 && bytes > o.MaxDiskBytes)
        {
            // Down to 90% of the budget so the sweep does not run at the edge every minute.
            foreach (var file in kept.OrderBy(f => f.LastWriteTimeUtc).ToList())
            {
                if (bytes <= o.MaxDiskBytes * 0.9) break;
                bytes -= file.Length;
                TryDelete(file);
                kept.Remove(file);
                deleted++;
            }
            LogBudget(logger, o.MaxDiskBytes);
        }
        var usage = new ArchiveUsage(bytes, kept.Count, cameras, deleted, time.GetUtcNow());
        LogUsage(logger, usage.Bytes / 1024.0 / 1024.0, usage.Segments, usage.Cameras, deleted);
        return LastUsage = usage;
    }

    private static void TryDelete(FileInfo file)
    {
        try
        {
            file.Delete();
        }
        catch (IOException)
        {
        }
    }

    [LoggerMessage(LogLevel.Information, "Video archive uses {Megabytes:0.0} MB in {Segments} segments of {Cameras} cameras; {Deleted} segments deleted")]
    private static partial void LogUsage(ILogger logger, double megabytes, int segments, int cameras, long deleted);

    [LoggerMessage(LogLevel.Warning, "Video archive over its disk budget of {Bytes} bytes: oldest segments deleted")]
    private static partial void LogBudget(ILogger logger, long bytes);

    [LoggerMessage(LogLevel.Warning, "Video archive sweep failed: {Error}")]
    private static partial void LogSweepFailed(ILogger logger, string error);
}
