using Portal.Grains.Model;
using Portal.StreamGateway.Archive;
using Portal.StreamGateway.Health;
using Portal.StreamGateway.Sources;
using Portal.StreamGateway.Supervision;
using Portal.StreamGateway.Tests.Infrastructure;
using SkiaSharp;

namespace Portal.StreamGateway.Tests;

public sealed class BackoffTests
{
    [Fact]
    public void BackoffGrowsExponentiallyWithJitterAndStaysUnderTheCap()
    {
        var random = new Random(7);
        var initial = TimeSpan.FromMilliseconds(500);
        var max = TimeSpan.FromSeconds(2);
        Assert.Equal(TimeSpan.Zero, Backoff.Delay(0, initial, max, random));
        var first = Backoff.Delay(1, initial, max, random);
        Assert.InRange(first.TotalMilliseconds, 375, 625);
        var third = Backoff.Delay(3, initial, max, random);
        Assert.InRange(third.TotalMilliseconds, 1500, 2500); // 2 s cap here
        for (var i = 4; i < 40; i++) Assert.InRange(Backoff.Delay(i, initial, max, random).TotalMilliseconds, 1500, 2500);
        var spread = Enumerable.Range(0, 50).Select(_ => Backoff.Delay(10, initial, max, random)).Distinct().Count();
        Assert.True(spread > 10, "no jitter");
    }
}

public sealed class RedactionTests
{
    [Fact]
    public void SourceUrlsAndCredentialsNeverSurviveRedaction()
    {
        const string source = "rtsp://admin:hunter2@10.0.0.5:554/stream1";
        var line = $"[rtsp @ 0x55] method DESCRIBE failed: 401 Unauthorized\n{source}: Connection refused";
        var redacted = Redaction.Redact(line, source);
        Assert.DoesNotContain("hunter2", redacted);
        Assert.DoesNotContain("10.0.0.5", redacted);
        Assert.Contains("Connection refused", redacted);
        Assert.DoesNotContain("rtsp://", Redaction.Redact("rtsp://other:pw@host/x failed"));
    }

    [Fact]
    public void CommandDescriptionHidesTheSource()
    {
        var camera = new CameraDefinition { Id = "cam-x", Source = "rtsp://admin:hunter2@10.0.0.5/stream1" };
        var command = FfmpegCommandBuilder.Build(new(camera, 1, "/tmp/cam-x", 1700000000000, RtspTransport.Tcp, null, new GatewayOptions()));
        Assert.Equal(camera.Source, command.Input);
        Assert.DoesNotContain("hunter2", command.ToString());
        Assert.Contains("-c:v copy", command.OutputArguments);
        Assert.Contains("-an", command.OutputArguments);
        Assert.Contains("-rtsp_transport tcp", command.InputArguments);
        Assert.Contains("-timeout 4000000", command.InputArguments);
        Assert.Contains("program_date_time", command.OutputArguments);
        Assert.Contains("temp_file", command.OutputArguments);
        Assert.Contains("independent_segments", command.OutputArguments);
        Assert.False(command.Transcodes);

        camera.Mask = [new MaskRectangle { X = 0.1, Y = 0.2, Width = 0.3, Height = 0.4 }];
        var masked = FfmpegCommandBuilder.Build(new(camera, 1, "/tmp/cam-x", 1700000000000, RtspTransport.Udp, null, new GatewayOptions()));
        Assert.True(masked.Transcodes);
        Assert.Contains("libx264 -preset ultrafast", masked.OutputArguments);
        Assert.Contains("fps=fps=10,scale=w='min(640,iw)'", masked.FilterScript);
        Assert.Contains(FfmpegCommandBuilder.MaskDecoderOptions, masked.InputArguments);
        Assert.Contains("drawbox=x=iw*0.1:y=ih*0.2:w=iw*0.3:h=ih*0.4", masked.FilterScript);
    }

    [Fact]
    public void DemoClockShowsTheElectionsTimeZoneNotTheHosts()
    {
        var camera = new CameraDefinition { Id = "cam-demo", Source = CameraSources.Demo };
        var tashkent = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tashkent");
        var options = new GatewayOptions { FontFile = "/bin/sh" }; // any existing file: the clock is drawn only when the font exists
        var command = FfmpegCommandBuilder.Build(new(camera, 7, "/tmp/cam-demo", 1700000000000, RtspTransport.Tcp, null, options, tashkent));

        // 1700000000 s is 22:13:20 UTC; the run started then, so the picture's clock is that plus five hours.
        Assert.Contains(@"pts\:gmtime\:1700018000\:", command.FilterScript);
        Assert.Contains("UTC+5", command.FilterScript);
        Assert.DoesNotContain("localtime", command.FilterScript);
    }

    [Fact]
    public void EachSourceKindOwnsItsInputAndOnlyListeningKindsTakePorts()
    {
        Assert.IsType<PullRtspSource>(CameraSourceKinds.Of(new CameraDefinition { Id = "a", Source = "rtsp://u:p@10.0.0.5/s" }));
        Assert.IsType<ListenSource>(CameraSourceKinds.Of(new CameraDefinition { Id = "b", Source = CameraSources.Listen }));
        Assert.IsType<DemoSource>(CameraSourceKinds.Of(new CameraDefinition { Id = "c", Source = CameraSources.Demo }));
        var unknown = Assert.Throws<ArgumentException>(() => CameraSourceKinds.Of(new CameraDefinition { Id = "d", Source = "srt://u:secret@h" }));
        Assert.DoesNotContain("secret", unknown.Message);

        var options = new GatewayOptions { ListenAddress = "127.0.0.1", ListenPortStart = 9000 };
        var listen = FfmpegCommandBuilder.Build(new(new CameraDefinition { Id = "cam-l", Source = CameraSources.Listen }, 1, "/tmp/cam-l", 1, RtspTransport.Tcp, 9000, options));
        Assert.Equal("rtsp://127.0.0.1:9000/cam-l", listen.Input);
        Assert.Contains("-rtsp_flags listen", listen.InputArguments);
        Assert.False(listen.Transcodes);

        var catalog = TestCatalog.Build([
            new CameraDefinition { Id = "z-listen", Source = CameraSources.Listen }, new CameraDefinition { Id = "a-pull", Source = "rtsp://10.0.0.5/s" },
            new CameraDefinition { Id = "b-listen", Source = CameraSources.Listen }, new CameraDefinition { Id = "c-demo", Source = CameraSources.Demo }]);
        var ports = CameraSupervisor.ListenPorts(catalog, options);
        Assert.Equal(new Dictionary<string, int> { ["b-listen"] = 9000, ["z-listen"] = 9001 }, ports);
    }
}

public sealed class PlaylistTests
{
    [Fact]
    public void LivePlaylistIsParsedWithProgramDateTimes()
    {
        const string text = "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:5\n#EXTINF:1.000000,\n" +
                            "#EXT-X-PROGRAM-DATE-TIME:2026-11-23T17:34:54.677+0000\n1700000000000-000005.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:1.500000,\n" +
                            "#EXT-X-PROGRAM-DATE-TIME:2026-11-23T17:40:00.000+0000\n1700000009999-000006.ts\n";
        var playlist = HlsPlaylist.Parse(text);
        Assert.Equal(2, playlist.TargetDuration);
        Assert.Equal(2, playlist.Segments.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 17, 34, 54, 677, TimeSpan.Zero), playlist.Segments[0].ProgramDateTime);
        Assert.Equal(1.5, playlist.Segments[1].Duration);
    }

    [Fact]
    public void ArchivePlaylistMarksRunChangesAndGapsAsDiscontinuities()
    {
        var t = new DateTimeOffset(2024, 10, 27, 15, 0, 0, TimeSpan.Zero);
        var segments = new List<ArchivedSegment>
        {
            new("1700000000000-000001.ts", t, 1, 100),
            new("1700000000000-000002.ts", t.AddSeconds(1), 1, 100),
            new("1700000050000-000003.ts", t.AddSeconds(2), 1, 100),
            new("1700000050000-000004.ts", t.AddSeconds(30), 1, 100),
        };
        var text = ArchivePlaylist.Build(segments, 1);
        Assert.Equal(2, text.Split('\n').Count(l => l == "#EXT-X-DISCONTINUITY"));
        Assert.EndsWith("#EXT-X-ENDLIST\n", text);
        Assert.Equal(4, HlsPlaylist.Parse(text).Segments.Count);
    }

    [Theory]
    [InlineData("1700000000000-000001.ts", true)]
    [InlineData("../1700000000000-000001.ts", false)]
    [InlineData("live.m3u8", false)]
    [InlineData("1700000000000-000001.ts.tmp", false)]
    public void OnlyWellFormedSegmentNamesAreAccepted(string name, bool ok) => Assert.Equal(ok, CameraPaths.IsSegmentName(name));
}

public sealed class PictureAnalysisTests
{
    [Fact]
    public void BlackAndFrozenAreToldFromThumbnails()
    {
        var options = new GatewayOptions { FrozenAfter = TimeSpan.FromSeconds(4), BlackAfter = TimeSpan.FromSeconds(2) };
        var t = DateTimeOffset.UtcNow;

        var black = PictureSample.FromJpeg(Jpeg(SKColors.Black, 0))!;
        Assert.True(black.MeanLuma < 5);
        var health = new PictureHealth(options);
        for (var i = 0; i <= 3; i++) health.Observe(black, t.AddSeconds(i));
        Assert.True(health.IsBlack);
        Assert.False(health.IsFrozen);

        var still = PictureSample.FromJpeg(Jpeg(SKColors.SteelBlue, 10))!;
        health = new PictureHealth(options);
        health.Observe(still, t);
        health.Observe(PictureSample.FromJpeg(Jpeg(SKColors.SteelBlue, 10))!, t.AddSeconds(2));
        Assert.False(health.IsFrozen);
        health.Observe(PictureSample.FromJpeg(Jpeg(SKColors.SteelBlue, 10))!, t.AddSeconds(4));
        Assert.True(health.IsFrozen);
        Assert.False(health.IsBlack);

        // Motion clears it.
        health.Observe(PictureSample.FromJpeg(Jpeg(SKColors.SteelBlue, 90))!, t.AddSeconds(5));
        Assert.False(health.IsFrozen);
    }

    private static byte[] Jpeg(SKColor background, int squareX)
    {
        using var bitmap = new SKBitmap(192, 108);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(background);
            if (background != SKColors.Black)
                using (var paint = new SKPaint { Color = SKColors.White })
                    canvas.DrawRect(squareX, 20, 60, 60, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, 80);
        return data.ToArray();
    }
}
