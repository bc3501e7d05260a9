using SkiaSharp;

namespace Portal.StreamGateway.Health;

/// <summary>A thumbnail reduced to a small luma grid: enough to tell black and frozen pictures without decoding every frame.</summary>
public sealed class PictureSample
{
    public const int Width = 64;
    public const int Height = 36;

    private PictureSample(byte[] luma, double mean)
    {
        Luma = luma;
        MeanLuma = mean;
    }

    public byte[] Luma { get; }

    public double MeanLuma { get; }

    public static PictureSample? FromJpeg(ReadOnlySpan<byte> jpeg)
    {
        using var data = SKData.CreateCopy(jpeg);
        using var decoded = SKBitmap.Decode(data);
        if (decoded is null) return null;
        using var small = decoded.Resize(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        if (small is null) return null;
        var luma = new byte[Width * Height];
        var pixels = small.Pixels;
        double sum = 0;
        for (var i = 0; i < luma.Length; i++)
        {
            var p = pixels[i];
            var y = 0.299 * p.Red + 0.587 * p.Green + 0.114 * p.Blue;
            luma[i] = (byte)Math.Clamp(Math.Round(y), 0, 255);
            sum += y;
        }
        return new PictureSample(luma, sum / luma.Length);
    }

    /// <summary>
    /// From a decoded picture (RGBA, as the <see cref="KeyframeDecoder"/> returns it): each cell of the grid is the mean
    /// luma of the pixels that fall in it. No JPEG round trip.
    /// </summary>
    public static PictureSample FromRgba(ReadOnlySpan<byte> rgba, int width, int height)
    {
        Span<int> sums = stackalloc int[Width * Height];
        Span<int> counts = stackalloc int[Width * Height];
        sums.Clear();
        counts.Clear();
        for (var y = 0; y < height; y++)
        {
            var row = y * Height / height * Width;
            var line = rgba.Slice(y * width * 4, width * 4);
            for (var x = 0; x < width; x++)
            {
                var cell = row + x * Width / width;
                // Integer BT.601 luma: (77 R + 150 G + 29 B) / 256.
                sums[cell] += 77 * line[x * 4] + 150 * line[x * 4 + 1] + 29 * line[x * 4 + 2];
                counts[cell]++;
            }
        }
        var luma = new byte[Width * Height];
        double total = 0;
        for (var i = 0; i < luma.Length; i++)
        {
            var y = counts[i] == 0 ? 0 : sums[i] / (256.0 * counts[i]);
            luma[i] = (byte)Math.Clamp(Math.Round(y), 0, 255);
            total += y;
        }
        return new PictureSample(luma, total / luma.Length);
    }

    /// <summary>Mean absolute luma difference (0-255).</summary>
    public double DifferenceTo(PictureSample other)
    {
        long sum = 0;
        for (var i = 0; i < Luma.Length; i++) sum += Math.Abs(Luma[i] - other.Luma[i]);
        return (double)sum / Luma.Length;
    }
}

/// <summary>Follows successive thumbnails of one camera and says whether the picture is black or frozen.</summary>
public sealed class PictureHealth(GatewayOptions options)
{
    private PictureSample? _previous;
    private DateTimeOffset _previousAt;
    private DateTimeOffset? _sameSince;
    private DateTimeOffset? _blackSince;

    public bool IsFrozen { get; private set; }

    public bool IsBlack { get; private set; }

    public double? LastMeanLuma => _previous?.MeanLuma;

    /// <summary>When the picture went black (null: it is not black now).</summary>
    public DateTimeOffset? BlackSince => _blackSince;

    /// <summary>Since when successive samples have been the same (null: the last one differed).</summary>
    public DateTimeOffset? SameSince => _sameSince;

    public void Observe(PictureSample sample, DateTimeOffset at)
    {
        if (sample.MeanLuma < options.BlackLuma) _blackSince ??= at;
        else _blackSince = null;
        IsBlack = _blackSince is { } b && at - b >= options.BlackAfter;

        // A black picture is also "the same" every time; report it as black, not frozen.
        if (_previous is not null && sample.DifferenceTo(_previous) < options.FrozenDifference && _blackSince is null) _sameSince ??= _previousAt;
        else _sameSince = null;
        IsFrozen = _sameSince is { } s && at - s >= options.FrozenAfter;
        _previous = sample;
        _previousAt = at;
    }

    public void Reset()
    {
        _previous = null;
        _sameSince = _blackSince = null;
        IsFrozen = IsBlack = false;
    }
}
