using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.StreamGateway.Health;
using Portal.StreamGateway.Supervision;

namespace Portal.StreamGateway.Tests;

/// <summary>When the thumbnailer samples a copy camera: the background pace, a watched thumbnail, a jump of the segments' size, a black picture's follow-up.</summary>
public sealed class CopyCameraPictureTests
{
    private static readonly GatewayOptions Options = new();

    private static PictureSample Uniform(byte value) => PictureSample.FromRgba(Enumerable.Repeat(value, 160 * 90 * 4).ToArray(), 160, 90);

    private static (CopyCameraPicture Camera, string Dir) NewCamera()
    {
        var dir = Tools.TempDir("copy-picture");
        using var launcher = new FfmpegLauncher(Microsoft.Extensions.Options.Options.Create(Options), NullLogger<FfmpegLauncher>.Instance);
        var thumbnailer = new SegmentThumbnailer(Microsoft.Extensions.Options.Options.Create(Options), launcher, NullLogger<SegmentThumbnailer>.Instance, TimeProvider.System);
        return (thumbnailer.Register(dir), dir);
    }

    [Fact]
    public void UnwatchedCameraIsSampledAtTheBackgroundPaceAndAWatchedOneMoreOften()
    {
        var (camera, dir) = NewCamera();
        var t0 = DateTimeOffset.UtcNow;
        camera.Offer(Path.Combine(dir, "1-000001.ts"), 40_000, 1, t0);
        Assert.Equal(Path.Combine(dir, "1-000001.ts"), camera.Due(t0)); // the first segment at once
        camera.Observe(Path.Combine(dir, "1-000001.ts"), Uniform(128), t0);
        Assert.Null(camera.Due(t0.AddSeconds(1))); // nothing new yet
        camera.Offer(Path.Combine(dir, "1-000002.ts"), 40_000, 1, t0.AddSeconds(1));
        Assert.Null(camera.Due(t0.AddSeconds(Options.CopyThumbnailSeconds)));
        Assert.Null(camera.Due(t0.AddSeconds(Options.CopyHealthSeconds - 0.5)));
        Assert.Equal(Path.Combine(dir, "1-000002.ts"), camera.Due(t0.AddSeconds(Options.CopyHealthSeconds)));

        // Someone looks at the thumbnail (the origin served it): sampled every CopyThumbnailSeconds.
        camera.Observe(Path.Combine(dir, "1-000002.ts"), Uniform(128), t0.AddSeconds(12));
        camera.Offer(Path.Combine(dir, "1-000003.ts"), 40_000, 1, t0.AddSeconds(13));
        ThumbnailWatch.Mark(dir);
        Assert.True(File.Exists(Path.Combine(dir, ThumbnailWatch.FileName)));
        Assert.Null(camera.Due(t0.AddSeconds(12 + Options.CopyThumbnailSeconds - 0.5)));
        Assert.Equal(Path.Combine(dir, "1-000003.ts"), camera.Due(t0.AddSeconds(12 + Options.CopyThumbnailSeconds)));
    }

    [Fact]
    public void AnUnwatchedCameraWritesItsFirstThumbnailAndThenOneAMinuteAWatchedOneEvery()
    {
        var (camera, dir) = NewCamera();
        var t0 = DateTimeOffset.UtcNow;
        Assert.True(camera.WantsJpeg(t0)); // the first sample of the run
        camera.JpegWritten(t0);
        Assert.False(camera.WantsJpeg(t0.AddSeconds(Options.CopyHealthSeconds)));
        Assert.True(camera.WantsJpeg(t0 + CopyCameraPicture.UnwatchedJpegEvery));
        ThumbnailWatch.Mark(dir);
        // Watched now (the mark is looked at no more than every 2 s): also before the minute is over.
        Assert.True(camera.WantsJpeg(t0.AddSeconds(Options.CopyHealthSeconds + 3)));
        camera.Reset();
        Assert.True(camera.WantsJpeg(t0)); // a new run of the camera's process
    }

    [Fact]
    public void SegmentsThatShrinkBringTheNextSampleForwardAndABlackSampleIsCheckedAgainAfterBlackAfter()
    {
        var (camera, dir) = NewCamera();
        var t0 = DateTimeOffset.UtcNow;
        for (var i = 1; i <= 4; i++) camera.Offer(Path.Combine(dir, $"1-{i:000000}.ts"), 40_000, 1, t0.AddSeconds(i));
        camera.Observe(Path.Combine(dir, "1-000004.ts"), Uniform(128), t0.AddSeconds(4));
        camera.Offer(Path.Combine(dir, "1-000005.ts"), 40_000, 1, t0.AddSeconds(5));
        Assert.Null(camera.Due(t0.AddSeconds(9)));
        // The picture went black: its segments shrink from ~40 KB to ~3 KB a second.
        camera.Offer(Path.Combine(dir, "1-000006.ts"), 3_000, 1, t0.AddSeconds(6));
        Assert.Null(camera.Due(t0.AddSeconds(7.5))); // not more often than every 4 s
        Assert.Equal(Path.Combine(dir, "1-000006.ts"), camera.Due(t0.AddSeconds(8)));
        camera.Observe(Path.Combine(dir, "1-000006.ts"), Uniform(0), t0.AddSeconds(8));
        Assert.False(camera.IsBlack); // black for BlackAfter, not at the first black sample
        camera.Offer(Path.Combine(dir, "1-000007.ts"), 3_000, 1, t0.AddSeconds(9));
        Assert.Null(camera.Due(t0.AddSeconds(8).Add(Options.BlackAfter).AddSeconds(-0.5)));
        Assert.Equal(Path.Combine(dir, "1-000007.ts"), camera.Due(t0.AddSeconds(8).Add(Options.BlackAfter)));
        camera.Observe(Path.Combine(dir, "1-000007.ts"), Uniform(0), t0.AddSeconds(8).Add(Options.BlackAfter));
        Assert.True(camera.IsBlack);
    }
}
