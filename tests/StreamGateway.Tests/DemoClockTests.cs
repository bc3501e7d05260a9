using System.Diagnostics;
using System.Globalization;
using Portal.Grains.Abstractions;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.StreamGateway.Sources;
using Portal.StreamGateway.Supervision;
using Portal.StreamGateway.Tests.Infrastructure;

namespace Portal.StreamGateway.Tests;

/// <summary>
/// One clock in the demo (docs/video.md): on the accelerated day the demo picture burns in election time, the mapping the
/// pages use. The expression is checked without ffmpeg (its constants) and with real ffmpeg: a frame drawn by the
/// expression is pixel for pixel the frame ffmpeg draws for the expected time through its own strftime formatting.
/// </summary>
public sealed class DemoClockTests(ClusterFixture cluster)
{
    private static readonly ElectionCatalog Catalog =
        new(DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = 60, ActiveCameraStations = 1, ElectionDay = new(2024, 10, 27) }), []);

    // 07:30 election time at this real instant; 14 election hours in 10 real minutes: 84x.
    private static readonly DateTimeOffset RealAnchor = new(2026, 12, 4, 1, 0, 0, TimeSpan.Zero);
    private static readonly ElectionClock Accelerated = ElectionClock.Accelerated(Catalog, new DemoOptions { Enabled = true }, realAnchor: RealAnchor);
    private static readonly CameraDefinition Camera = new() { Id = "cam-demo", Source = CameraSources.Demo };

    [Fact]
    public void TheClocksLineMapsRealInstantsBothWays()
    {
        Assert.True(Accelerated.IsAccelerated);
        Assert.Equal(84, Accelerated.Speed);
        Assert.Equal(RealAnchor, Accelerated.RealAnchor);
        Assert.Equal(new DateTimeOffset(2024, 10, 27, 7, 30, 0, TimeSpan.FromHours(5)), Accelerated.ElectionAnchor);
        // Ten real seconds are 840 election seconds: 07:44:00 in Tashkent.
        var election = Accelerated.ElectionTimeOf(RealAnchor.AddSeconds(10));
        Assert.Equal(new DateTimeOffset(2024, 10, 27, 7, 44, 0, TimeSpan.FromHours(5)), election);
        Assert.Equal(TimeSpan.FromHours(5), election.Offset);
        Assert.Equal(RealAnchor.AddSeconds(10), Accelerated.RealTimeOf(election));
        // The line the pages carry gives the same.
        Assert.Equal(election, Accelerated.ElectionAnchor + (RealAnchor.AddSeconds(10) - Accelerated.RealAnchor) * Accelerated.Speed);

        var normal = new ElectionClock(Catalog);
        Assert.False(normal.IsAccelerated);
        Assert.Equal(normal.RealAnchor, normal.ElectionAnchor);
        var instant = DateTimeOffset.UtcNow;
        Assert.Equal(instant, normal.ElectionTimeOf(instant));
    }

    [Fact]
    public void TheAcceleratedPictureClockIsTheElectionClocksLineThroughTheRunStart()
    {
        var runId = RealAnchor.AddSeconds(10).ToUnixTimeMilliseconds();
        var options = new GatewayOptions { FontFile = "/bin/sh" }; // any existing file: the clock is drawn only when the font exists
        var script = FfmpegCommandBuilder.Build(new(Camera, 7, "/tmp/cam-demo", runId, RtspTransport.Tcp, null, options, Catalog.TimeZone, null, Accelerated)).FilterScript!;

        // 07:44:00 is 27840 local seconds; the wall clock (time(0)) counts from the run's start at 84x.
        var seconds = $"(27840+(time(0)-{runId / 1000})*84)";
        Assert.Contains($@"%{{eif\:mod(floor({seconds}/3600)\,24)\:d\:2}}", script);
        Assert.Contains($@"%{{eif\:mod(floor({seconds}/60)\,60)\:d\:2}}", script);
        Assert.Contains($@"%{{eif\:mod(floor({seconds})\,60)\:d\:2}} UTC+5", script);
        Assert.DoesNotContain("gmtime", script);

        // Normal mode: the real clock as before.
        var normal = FfmpegCommandBuilder.Build(new(Camera, 7, "/tmp/cam-demo", runId, RtspTransport.Tcp, null, options, Catalog.TimeZone, null, new ElectionClock(Catalog))).FilterScript!;
        Assert.Contains(@"pts\:gmtime\:", normal);
        Assert.DoesNotContain("eif", normal);
    }

    [Fact]
    public async Task AtKnownFrameTimesThePictureShowsTheElectionTimeOfThoseInstants()
    {
        var ffmpeg = Tools.Require("ffmpeg");
        var dir = Tools.TempDir("democlock");
        var options = new GatewayOptions();
        var runStart = RealAnchor.AddSeconds(10);
        var start = Accelerated.ElectionTimeOf(runStart);
        // The wall clock replaced by the run's start plus the frame time: frame k is the real instant runStart + k / fps.
        var r0 = runStart.ToUnixTimeMilliseconds() / 1000.0;
        var text = DemoSource.AcceleratedClockText(start.TimeOfDay.TotalSeconds, r0, Accelerated.Speed, "UTC+5",
            realSeconds: string.Create(CultureInfo.InvariantCulture, $"({r0:0.###}+t)"));
        var drawn = await RenderAsync(ffmpeg, dir, "testsrc2=size=640x360:rate=10", Style(options) + text, frames: 31);
        Assert.Equal(31, drawn.Count);

        // Frames whose election time is not within a rounding error of a whole second (k = 0 is exactly the run's start).
        foreach (var k in new[] { 0, 1, 7, 13, 29 })
        {
            var expected = Accelerated.ElectionTimeOf(runStart.AddSeconds(k / 10.0));
            var reference = await RenderAsync(ffmpeg, dir, "testsrc2=size=640x360:rate=10", $"select=eq(n\\,{k}),{Style(options)}{Label(expected)}", frames: 1);
            Assert.True(drawn[k].SequenceEqual(reference[0]), $"frame {k}: the picture does not show {expected:HH:mm:ss}");
        }
        // The comparison sees a second's difference.
        var wrong = Accelerated.ElectionTimeOf(runStart.AddSeconds(1.3)).AddSeconds(1);
        var other = await RenderAsync(ffmpeg, dir, "testsrc2=size=640x360:rate=10", $"select=eq(n\\,13),{Style(options)}{Label(wrong)}", frames: 1);
        Assert.False(drawn[13].SequenceEqual(other[0]));
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task ThePictureTheGatewayDrawsShowsTheElectionTimeOfTheMomentItIsDrawn()
    {
        var ffmpeg = Tools.Require("ffmpeg");
        var dir = Tools.TempDir("democlock");
        var options = new GatewayOptions();
        // A clock anchored a moment ago, as a demo portal's, and the gateway's own clock filter for a run starting now.
        var clock = ElectionClock.Accelerated(Catalog, new DemoOptions { Enabled = true }, realAnchor: DateTimeOffset.UtcNow.AddSeconds(-5));
        var runId = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var filter = new DemoSource().PictureFilters(new(Camera, 7, dir, runId, RtspTransport.Tcp, null, options, Catalog.TimeZone, null, clock)).Last();
        Assert.Contains("eif", filter);

        var before = clock.ElectionTimeOf(DateTimeOffset.UtcNow);
        var drawn = await RenderAsync(ffmpeg, dir, "color=c=black:size=640x360:rate=10", filter, frames: 1);
        var after = clock.ElectionTimeOf(DateTimeOffset.UtcNow);

        // Every election second from before to after, drawn by ffmpeg's strftime (one frame per second of pts at rate 1).
        var first = before.TimeOfDay.TotalSeconds;
        var count = (int)(Math.Floor(after.TimeOfDay.TotalSeconds) - Math.Floor(first)) + 1;
        var candidates = await RenderAsync(ffmpeg, dir, "color=c=black:size=640x360:rate=1",
            Style(options) + string.Create(CultureInfo.InvariantCulture, $"'%{{pts\\:gmtime\\:{Math.Floor(first):0}\\:%H\\\\\\:%M\\\\\\:%S}} UTC+5'"), frames: count);
        var match = candidates.FindIndex(c => c.SequenceEqual(drawn[0]));
        Assert.True(match >= 0, $"the picture shows none of the {count} election seconds from {before:HH:mm:ss.fff} to {after:HH:mm:ss.fff}");
        Directory.Delete(dir, true);
    }

    [Fact]
    public async Task AnArchivedFrameShowsTheElectionTimeOfItsProgramDateTime()
    {
        var ffmpeg = Tools.Require("ffmpeg");
        // 14 election hours in 84 real minutes: 10x, so a tenth of a real second is one election second on the picture.
        var demo = new DemoOptions { Enabled = true, DayHours = 14, DayMinutes = 84 };
        ElectionClock? clock = null;
        var camera = new CameraDefinition { Id = "cam-clock", Source = CameraSources.Demo };
        await using var gateway = await GatewayHost.StartAsync(cluster.Grains, [camera], clock: catalog => clock = ElectionClock.Accelerated(catalog, demo));
        await Tools.WaitFor(() => cluster.StatusAsync(camera.Id), s => s.State == CameraState.Live, TimeSpan.FromSeconds(60), "demo camera live");
        var playlist = await Tools.WaitFor(async () => HlsPlaylist.Parse(await gateway.Http.GetStringAsync($"/hls/{camera.Id}/live.m3u8")),
            p => p.Segments.Count >= 3, TimeSpan.FromSeconds(60), "three live segments");
        Assert.NotNull(clock);
        Assert.Equal(10, clock.Speed);

        // The first frame of a finished segment, and the election time of its program-date-time (what rewinding to it asks for).
        var segment = playlist.Segments[^2];
        var dir = Tools.TempDir("democlock");
        var file = Path.Combine(dir, "segment.ts");
        await File.WriteAllBytesAsync(file, await gateway.Http.GetByteArrayAsync($"/hls/{camera.Id}/{segment.Name}"));
        var frame = (await DecodeAsync(ffmpeg, $"-i {file}", "", frames: 1, gray: true))[0];
        var expected = clock.ElectionTimeOf(segment.ProgramDateTime);

        // The encoder blurs the text, so no exact comparison: the white text's pixels against each election second near
        // the expected one, drawn by ffmpeg's strftime on black; the closest is what the picture shows.
        var first = Math.Floor(expected.TimeOfDay.TotalSeconds) - 20;
        var candidates = await DecodeAsync(ffmpeg, "-f lavfi -i color=c=black:size=640x360:rate=1",
            Style(new GatewayOptions()) + string.Create(CultureInfo.InvariantCulture, $"'%{{pts\\:gmtime\\:{first:0}\\:%H\\\\\\:%M\\\\\\:%S}} UTC+5'"),
            frames: 41, gray: true);
        // Only where the text can be (inside its dark box); the picture around the box is bright in places.
        var ink = candidates.SelectMany(c => Enumerable.Range(0, c.Length).Where(i => c[i] > 170)).ToList();
        var (left, right, top, bottom) = (ink.Min(i => i % 640), ink.Max(i => i % 640), ink.Min(i => i / 640), ink.Max(i => i / 640));
        int Difference(byte[] a, byte[] b)
        {
            var n = 0;
            for (var y = top; y <= bottom; y++)
                for (var x = left; x <= right; x++)
                    if (a[y * 640 + x] > 170 != b[y * 640 + x] > 170) n++;
            return n;
        }
        var scores = candidates.Select(c => Difference(frame, c)).ToList();
        var best = scores.IndexOf(scores.Min());
        var shown = first + best;
        // Drawn within milliseconds of the program-date-time on an idle machine (a tenth of an election second here); a
        // starved ffmpeg draws a frame late, never early, so the bound allows a real second after and 0.2 s before.
        var late = shown - expected.TimeOfDay.TotalSeconds;
        Assert.True(late is >= -2 and <= 10,
            $"the frame at {segment.ProgramDateTime:HH:mm:ss.fff} UTC shows {TimeSpan.FromSeconds(shown):hh\\:mm\\:ss}, not about {expected:HH:mm:ss.f} (scores {string.Join(' ', scores)})");
        Directory.Delete(dir, true);
    }

    /// <summary>The time as a literal drawtext text: HH:MM:SS UTC+5, each colon escaped for the option and the expansion.</summary>
    private static string Label(DateTimeOffset at) => "'" + at.ToString("HH:mm:ss", CultureInfo.InvariantCulture).Replace(":", @"\\\:", StringComparison.Ordinal) + " UTC+5'";

    private static string Style(GatewayOptions options) =>
        $"drawtext=fontfile={options.FontFile}:fontsize=22:fontcolor=white:box=1:boxcolor=black@0.6:x=16:y=h-40:text=";

    /// <summary>Frames of <paramref name="source"/> through <paramref name="filters"/>, as raw RGB, without any encoder.</summary>
    private static Task<List<byte[]>> RenderAsync(string ffmpeg, string dir, string source, string filters, int frames) =>
        DecodeAsync(ffmpeg, $"-f lavfi -i {source}", filters, frames, gray: false);

    /// <summary>Frames of an input (ffmpeg input arguments), through a filter chain if given, as raw RGB or gray 640x360.</summary>
    private static async Task<List<byte[]>> DecodeAsync(string ffmpeg, string input, string filters, int frames, bool gray)
    {
        var filter = "";
        if (filters.Length > 0)
        {
            var script = Path.Combine(Path.GetTempPath(), "gw-tests", $"clock-filter-{Guid.NewGuid():N}.txt");
            Directory.CreateDirectory(Path.GetDirectoryName(script)!);
            await File.WriteAllTextAsync(script, $"[0:v]{filters}[out]\n");
            filter = $"-filter_complex_script {script} -map [out] ";
        }
        var psi = new ProcessStartInfo(ffmpeg, $"-hide_banner -loglevel error {input} {filter}-frames:v {frames} -f rawvideo -pix_fmt {(gray ? "gray" : "rgb24")} -")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"ffmpeg failed: {await stderr}");
        var size = 640 * 360 * (gray ? 1 : 3);
        var bytes = output.ToArray();
        return [.. Enumerable.Range(0, bytes.Length / size).Select(i => bytes.AsSpan(i * size, size).ToArray())];
    }
}
