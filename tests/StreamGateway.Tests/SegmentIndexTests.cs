using System.Text;
using Microsoft.Extensions.Options;
using Portal.StreamGateway.Archive;
using Portal.StreamGateway.Tests.Infrastructure;

namespace Portal.StreamGateway.Tests;

/// <summary>The day index keeps every whole line it was given: across a writer killed mid-line and across writers appending at once.</summary>
public sealed class SegmentIndexTests : IDisposable
{
    private const string Camera = "cam-index";
    private static readonly DateTimeOffset Day = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Tools.TempDir("index");
    private readonly SegmentIndex _index;
    private readonly CameraPaths _paths;

    public SegmentIndexTests()
    {
        _paths = new CameraPaths(Options.Create(new GatewayOptions { DataDir = _dir }));
        _index = new SegmentIndex(_paths);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ATornLastLineFollowedByNewAppendsKeepsEveryWholeLine()
    {
        _index.Append(Camera, Segments(run: 1796331994880, first: 0, count: 3));
        // A node killed in the middle of its append leaves the start of a line without its end.
        File.AppendAllText(_paths.IndexFile(Camera, DateOnly.FromDateTime(Day.UtcDateTime)), "2026-12-03T10:00:03.000Z\t1\t17963319");
        _index.Append(Camera, Segments(run: 1796332010098, first: 3, count: 2));

        var read = _index.Read(Camera, Day.AddMinutes(-1), Day.AddMinutes(1));

        Assert.Equal(["1796331994880-000000.ts", "1796331994880-000001.ts", "1796331994880-000002.ts", "1796332010098-000003.ts", "1796332010098-000004.ts"],
            read.Select(s => s.Name));
    }

    [Fact]
    public void WritersAppendingAtOnceFromTheirOwnHandlesLoseNoLine()
    {
        // Each Append opens the file itself, as two nodes around a handover do: none may write over another's lines.
        const int writers = 8, appends = 100;
        Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, w =>
        {
            for (var i = 0; i < appends; i++) _index.Append(Camera, Segments(run: 1796331994880 + w, first: i, count: 1));
        });

        var read = _index.Read(Camera, Day.AddMinutes(-1), Day.AddHours(1));

        Assert.Equal(writers * appends, read.Select(s => s.Name).Distinct().Count());
        // An empty line (a tail seen mid-write taken for a torn one) is skipped by the reader; no line is cut or glued to another.
        Assert.All(File.ReadAllLines(_paths.IndexFile(Camera, DateOnly.FromDateTime(Day.UtcDateTime))).Where(l => l.Length > 0), l => Assert.Equal(4, l.Split('\t').Length));
    }

    [Fact]
    public void AnAppendOnlyHandleWritesAtTheEndEvenWhenTheFileGrewSinceItWasOpened()
    {
        var file = _paths.IndexFile(Camera, DateOnly.FromDateTime(Day.UtcDateTime));
        _index.Append(Camera, Segments(run: 1796331994880, first: 0, count: 1));
        using var handle = AppendOnly.Open(file);
        var lengthWhenOpened = RandomAccess.GetLength(handle);
        _index.Append(Camera, Segments(run: 1796331994880, first: 1, count: 1));

        RandomAccess.Write(handle, Encoding.UTF8.GetBytes("2026-12-03T10:00:02.000Z\t1\t1796331994880-000002.ts\t100\n"), lengthWhenOpened);

        Assert.Equal(3, _index.Read(Camera, Day.AddMinutes(-1), Day.AddMinutes(1)).Count);
    }

    private static IEnumerable<ArchivedSegment> Segments(long run, int first, int count) =>
        Enumerable.Range(first, count).Select(i => new ArchivedSegment($"{run}-{i:000000}.ts", Day.AddSeconds(i), 1, 1000 + i));
}
