using System.Diagnostics;
using Microsoft.Extensions.Options;
using Portal.Grains.Counting;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.StreamGateway.Supervision;
using Portal.StreamGateway.Tests.Infrastructure;

namespace Portal.StreamGateway.Tests;

/// <summary>
/// The demo's ballot-box picture: the gateway's own filter script, encoded with libx264 and decoded again by ffmpeg, shows
/// exactly as many ballots in a clip as the counting plan says the clip holds.
/// </summary>
public sealed class BallotSceneTests
{
    [Fact]
    public async Task TheBallotsDrawnInAClipAreTheCountTheTaskServiceBelieves()
    {
        var ffmpeg = Tools.Require("ffmpeg");
        var catalog = new ElectionCatalog(DemoElectionGenerator.Generate(new DemoElectionOptions { Stations = 60, ActiveCameraStations = 2, ElectionDay = new(2024, 10, 27) }), []);
        var demo = new DemoOptions { Enabled = true };
        var realAnchor = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = ElectionClock.Accelerated(catalog, demo, realAnchor: realAnchor);
        var plan = new CountingPlan(catalog, clock, Options.Create(new CountingOptions()), Options.Create(demo));
        var camera = catalog.Cameras.First(c => c.Enabled && c.SeesBallotBox);
        var station = catalog.FindCamera(camera.Id)!.Value.Station;
        // The busiest clip of the morning window: the fastest drops the demo draws.
        var clip = plan.Plan.ClipsOf(camera.Id).Where(c => c.Window == 0).MaxBy(plan.Scene.CountOf)!;
        var expected = plan.Scene.CountOf(clip);
        Assert.True(expected >= 5, $"the clip holds {expected} ballots");

        // A run that starts two seconds before the clip, as a camera's ffmpeg run would.
        var clipStart = clock.RealTimeOf(clip.Start);
        var clipSeconds = (clock.RealTimeOf(clip.End) - clipStart).TotalSeconds;
        var runStart = clipStart.AddSeconds(-2);
        var drops = plan.Scene.DropSecondsAfter(camera.Id, runStart, clock.RealTimeOf);
        var dir = Tools.TempDir("ballots");
        var options = new GatewayOptions();
        var command = FfmpegCommandBuilder.Build(new(camera, station.Number, dir, runStart.ToUnixTimeMilliseconds(), RtspTransport.Tcp, null, options, catalog.TimeZone, drops));
        var script = Path.Combine(dir, FfmpegCommandBuilder.FilterScriptName);
        await File.WriteAllTextAsync(script, command.FilterScript, TestContext.Current.CancellationToken);
        var video = Path.Combine(dir, "clip.ts");
        var duration = clipSeconds + 4;
        await RunAsync(ffmpeg, $"-hide_banner -loglevel error -y -t {duration:0.###} -f lavfi -i testsrc2=size={options.DemoSize}:rate={options.DemoFps} " +
            $"-filter_complex_script {script} -map [hls] -c:v libx264 -preset ultrafast -crf 30 -pix_fmt yuv420p {video} -map [thumb] -f null -");

        var (w, h) = (640, 360);
        var frames = await DecodeGrayAsync(ffmpeg, video, w, h);
        Assert.True(frames.Count >= (int)(duration * options.DemoFps) - 2, $"decoded {frames.Count} frames");
        var (rx, ry, rw, rh) = FfmpegCommandBuilder.BallotRegion;
        double MeanLuma(byte[] frame, double top, double bottom)
        {
            long sum = 0, n = 0;
            for (var y = (int)(h * top); y < (int)(h * bottom); y++)
                for (var x = (int)(w * (rx + rw * 0.2)); x < (int)(w * (rx + rw * 0.8)); x++) { sum += frame[y * w + x]; n++; }
            return (double)sum / n;
        }
        // A ballot is drawn above the slot, then half into it: white in either half of its path, the dark wall otherwise.
        bool BallotSeen(byte[] frame) =>
            MeanLuma(frame, ry + rh * 0.1, ry + rh * 0.4) > 180 || MeanLuma(frame, ry + rh * 0.6, ry + rh * 0.9) > 180;
        var counted = 0;
        var previous = false;
        for (var i = 0; i < frames.Count; i++)
        {
            var t = i / (double)options.DemoFps;
            var seen = BallotSeen(frames[i]);
            if (seen && !previous && t >= 2 && t < 2 + clipSeconds) counted++;
            previous = seen;
        }
        Assert.Equal(expected, counted);
        Directory.Delete(dir, true);
    }

    private static async Task RunAsync(string ffmpeg, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(ffmpeg, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try { await process.WaitForExitAsync(deadline.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); Assert.Fail("ffmpeg did not finish within 3 minutes"); }
        Assert.True(process.ExitCode == 0, $"ffmpeg failed: {await stderr}");
    }

    private static async Task<List<byte[]>> DecodeGrayAsync(string ffmpeg, string video, int w, int h)
    {
        using var process = Process.Start(new ProcessStartInfo(ffmpeg, $"-hide_banner -loglevel error -i {video} -f rawvideo -pix_fmt gray -")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var stderr = process.StandardError.ReadToEndAsync();
        var frames = new List<byte[]>();
        var stream = process.StandardOutput.BaseStream;
        while (true)
        {
            var frame = new byte[w * h];
            var read = 0;
            while (read < frame.Length)
            {
                var n = await stream.ReadAsync(frame.AsMemory(read));
                if (n == 0) break;
                read += n;
            }
            if (read < frame.Length) break;
            frames.Add(frame);
        }
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"ffmpeg decode failed: {await stderr}");
        return frames;
    }
}
