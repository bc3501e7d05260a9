using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.StreamGateway.Health;
using Portal.StreamGateway.Supervision;

namespace Portal.StreamGateway.Tests;

/// <summary>The copy cameras' keyframe path on segments real ffmpeg writes: the access unit cut from the .ts, the SPS made reorder-free, one long-running decoder.</summary>
public sealed class KeyframeDecoderTests
{
    private const int Width = 160, Height = 90;

    /// <summary>HLS segments as a copy camera's ffmpeg writes them (mpegts, 1 s), from an H.264 source made with the given x264 options.</summary>
    private static async Task<string[]> SegmentsAsync(string dir, string picture, string size, string x264)
    {
        var source = Path.Combine(dir, "source.mp4");
        var made = await Tools.RunAsync("ffmpeg",
            $"-hide_banner -loglevel error -y -f lavfi -i {picture}{(picture.Contains('=') ? ':' : '=')}size={size}:rate=25 -t 3 -c:v libx264 {x264} -g 25 -keyint_min 25 -sc_threshold 0 -pix_fmt yuv420p \"{source}\"");
        Assert.True(made.ExitCode == 0, made.Stderr);
        var segmented = await Tools.RunAsync("ffmpeg",
            $"-hide_banner -loglevel error -y -i \"{source}\" -map 0:v:0 -c:v copy -an -f hls -hls_time 1 -hls_list_size 0 -hls_segment_type mpegts " +
            $"-hls_segment_filename \"{Path.Combine(dir, "1-%06d.ts")}\" \"{Path.Combine(dir, "live.m3u8")}\"");
        Assert.True(segmented.ExitCode == 0, segmented.Stderr);
        return Directory.GetFiles(dir, "*.ts").Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task FirstAccessUnitOfASegmentIsAnIdrWithParameterSetsAndItsSpsSaysNoReordering()
    {
        var dir = Tools.TempDir("keyframe-au");
        // x264's default B-frames: the SPS says two pictures may be reordered (ffprobe: has_b_frames=2).
        var segments = await SegmentsAsync(dir, "testsrc2", "1280x720", "-preset veryfast -b:v 1M");
        var original = Path.Combine(dir, "original.h264");
        var prepared = Path.Combine(dir, "prepared.h264");
        Assert.True((await Tools.RunAsync("ffmpeg", $"-hide_banner -loglevel error -y -i \"{segments[1]}\" -c copy -frames:v 1 -f h264 \"{original}\"")).ExitCode == 0);
        var unit = KeyframeAccessUnit.Read(segments[1]);
        Assert.NotNull(unit);
        await File.WriteAllBytesAsync(prepared, unit);

        var types = KeyframeAccessUnit.NalUnits(unit).Select(n => unit[n.Start] & 0x1F).ToList();
        Assert.Contains(7, types);
        Assert.Contains(8, types);
        Assert.Contains(5, types);
        Assert.DoesNotContain(1, types); // one picture only: no following P or B slice
        Assert.Equal(9, types[^1]); // the delimiter that lets ffmpeg's parser emit it at once

        var before = await Tools.RunAsync("ffprobe", $"-v error -show_entries stream=width,height,has_b_frames,profile -of compact=p=0 \"{original}\"");
        var after = await Tools.RunAsync("ffprobe", $"-v error -show_entries stream=width,height,has_b_frames,profile -of compact=p=0 \"{prepared}\"");
        Assert.Contains("has_b_frames=2", before.Stdout);
        Assert.Contains("has_b_frames=0", after.Stdout);
        Assert.Equal(before.Stdout.Replace("has_b_frames=2", "", StringComparison.Ordinal), after.Stdout.Replace("has_b_frames=0", "", StringComparison.Ordinal));
        // The rewritten SPS decodes to the same picture as the original stream's first frame.
        var decoded = await Tools.RunBytesAsync("ffmpeg", $"-hide_banner -loglevel error -i \"{prepared}\" -frames:v 1 -f rawvideo -pix_fmt gray -");
        var reference = await Tools.RunBytesAsync("ffmpeg", $"-hide_banner -loglevel error -i \"{original}\" -frames:v 1 -f rawvideo -pix_fmt gray -");
        Assert.Equal(reference, decoded);
    }

    [Fact]
    public async Task OneDecoderReturnsEachKeyframeInOrderAcrossResolutionsAndRestartsWhenKilled()
    {
        var moving = await SegmentsAsync(Tools.TempDir("keyframe-moving"), "testsrc2", "1280x720", "-preset veryfast -b:v 1M");
        var white = await SegmentsAsync(Tools.TempDir("keyframe-white"), "color=c=white", "640x480", "-preset ultrafast -bf 0");
        using var launcher = new FfmpegLauncher(Options.Create(new GatewayOptions()), NullLogger<FfmpegLauncher>.Instance);
        await using var decoder = new KeyframeDecoder(launcher, Width, Height, NullLogger.Instance);
        var frame = new byte[decoder.FrameBytes];

        async Task<PictureSample> Decode(string segment)
        {
            Assert.True(await decoder.DecodeAsync(KeyframeAccessUnit.Read(segment)!, frame, TestContext.Current.CancellationToken), $"no picture for {segment}");
            return PictureSample.FromRgba(frame, Width, Height);
        }

        var first = await Decode(moving[0]);
        var whitePicture = await Decode(white[1]);
        var second = await Decode(moving[2]);
        var firstAgain = await Decode(moving[0]);
        Assert.True(whitePicture.MeanLuma > 240, $"white mean {whitePicture.MeanLuma:0.0}");
        Assert.True(first.MeanLuma < 200, $"test picture mean {first.MeanLuma:0.0}");
        // In order: each picture is the one of the keyframe just written, not one held back from before.
        Assert.True(second.DifferenceTo(first) >= new GatewayOptions().FrozenDifference, $"difference {second.DifferenceTo(first):0.00}");
        Assert.True(firstAgain.DifferenceTo(first) < 0.5, $"difference {firstAgain.DifferenceTo(first):0.00}");
        Assert.Equal(1, decoder.Starts);

        System.Diagnostics.Process.GetProcessById(decoder.ProcessId!.Value).Kill();
        await Tools.WaitFor(() => Task.FromResult(decoder.ProcessId), id => id is null, TimeSpan.FromSeconds(10), "decoder gone");
        var afterRestart = await Decode(white[0]);
        Assert.True(afterRestart.MeanLuma > 240, $"white mean {afterRestart.MeanLuma:0.0}");
        Assert.Equal(2, decoder.Starts);
    }
}
