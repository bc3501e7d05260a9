using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Portal.StreamGateway.Supervision;

namespace Portal.StreamGateway.Archive;

public sealed record ArchivedSegment(string Name, DateTimeOffset Start, double Duration, long Bytes)
{
    public DateTimeOffset End => Start.AddSeconds(Duration);
    public long RunId => CameraPaths.RunIdOf(Name) ?? 0;
}

/// <summary>
/// The day archive's index: one line per segment ("start, duration, name, bytes") in a file per UTC day. Appended by the
/// camera's supervisor as segments appear in the live playlist, read by the archive playlist; it outlives process and
/// gateway restarts because it is a plain file beside the segments.
/// </summary>
public sealed class SegmentIndex(CameraPaths paths)
{
    /// <summary>Appends once, opening and closing the day file (a camera's worker keeps an <see cref="Appender"/> open instead).</summary>
    public void Append(string cameraId, IEnumerable<ArchivedSegment> segments)
    {
        using var appender = OpenAppender(cameraId);
        appender.Append(segments);
    }

    /// <summary>An appender for one camera that keeps its current day file open: a segment a second costs a write, not an open and a close.</summary>
    public Appender OpenAppender(string cameraId) => new(paths, cameraId);

    /// <summary>One camera's index writer (one thread: the camera's worker). Its day file stays open until the day changes or it is disposed.</summary>
    public sealed class Appender(CameraPaths paths, string cameraId) : IDisposable
    {
        private readonly StringBuilder _text = new();
        private DateOnly _day;
        private SafeFileHandle? _handle;

        public void Append(IEnumerable<ArchivedSegment> segments)
        {
            foreach (var day in segments.GroupBy(s => DateOnly.FromDateTime(s.Start.UtcDateTime)))
            {
                if (_handle is null || day.Key != _day)
                {
                    _handle?.Dispose();
                    var file = paths.IndexFile(cameraId, day.Key);
                    Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                    _handle = AppendOnly.Open(file);
                    _day = day.Key;
                }
                _text.Clear();
                foreach (var s in day)
                    _text.Append(CultureInfo.InvariantCulture, $"{s.Start.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}\t{s.Duration:0.######}\t{s.Name}\t{s.Bytes}\n");
                AppendLines(_handle, _text.ToString());
            }
        }

        public void Dispose()
        {
            _handle?.Dispose();
            _handle = null;
        }
    }

    /// <summary>
    /// Appends whole lines at the end of the file as it is at the moment of the write. Two nodes append to one camera's
    /// index around a handover, and .NET's FileMode.Append writes at the length it saw on opening (no O_APPEND), so one
    /// node's lines could overwrite the other's: the file is opened with O_APPEND instead. A last line torn by a writer
    /// killed mid-write (a short write at a page boundary) is ended first, so the new lines are not glued onto it; it is
    /// looked for before every write, since the other writer may be another node's, killed while this handle was open.
    /// </summary>
    private static void AppendLines(SafeFileHandle handle, string lines)
    {
        var length = RandomAccess.GetLength(handle);
        Span<byte> last = stackalloc byte[1];
        var torn = length > 0 && RandomAccess.Read(handle, last, length - 1) == 1 && last[0] != (byte)'\n';
        var bytes = Encoding.UTF8.GetBytes(torn ? "\n" + lines : lines);
        // With O_APPEND, Linux writes at the end whatever offset pwrite is given.
        RandomAccess.Write(handle, bytes, fileOffset: length);
    }

    /// <summary>Segments overlapping [from, to), oldest first.</summary>
    public List<ArchivedSegment> Read(string cameraId, DateTimeOffset from, DateTimeOffset to)
    {
        var result = new List<ArchivedSegment>();
        for (var day = DateOnly.FromDateTime(from.UtcDateTime.AddDays(-1)); day <= DateOnly.FromDateTime(to.UtcDateTime); day = day.AddDays(1))
        {
            var file = paths.IndexFile(cameraId, day);
            if (!File.Exists(file)) continue;
            foreach (var line in ReadLinesShared(file))
                if (TryParse(line, out var segment) && segment.End > from && segment.Start < to) result.Add(segment);
        }
        result.Sort((a, b) => a.Start.CompareTo(b.Start));
        return result;
    }

    /// <summary>The names of the newest indexed segments (to skip what a restarted gateway finds again in the live playlist).</summary>
    public HashSet<string> RecentNames(string cameraId, DateTimeOffset now, int count = 64)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var day in new[] { DateOnly.FromDateTime(now.UtcDateTime), DateOnly.FromDateTime(now.UtcDateTime.AddDays(-1)) })
        {
            var file = paths.IndexFile(cameraId, day);
            if (!File.Exists(file)) continue;
            foreach (var line in ReadLinesShared(file).TakeLast(count))
                if (TryParse(line, out var s)) names.Add(s.Name);
        }
        return names;
    }

    public static ArchivedSegment FromLive(HlsSegment segment, string cameraDir)
    {
        var info = new FileInfo(Path.Combine(cameraDir, segment.Name));
        return new ArchivedSegment(segment.Name, segment.ProgramDateTime, segment.Duration, info.Exists ? info.Length : 0);
    }

    private static IEnumerable<string> ReadLinesShared(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line) yield return line;
    }

    private static bool TryParse(string line, out ArchivedSegment segment)
    {
        segment = null!;
        var parts = line.Split('\t');
        if (parts.Length < 4
            || !DateTimeOffset.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var duration)
            || !CameraPaths.IsSegmentName(parts[2])
            || !long.TryParse(parts[3], out var bytes)) return false;
        segment = new ArchivedSegment(parts[2], start, duration, bytes);
        return true;
    }
}
