namespace Portal.StreamGateway.Supervision;

/// <summary>Capped exponential backoff with full-range jitter (+-25%), so cameras that fail together do not retry together.</summary>
public static class Backoff
{
    public static TimeSpan Delay(int failures, TimeSpan initial, TimeSpan max, Random? random = null)
    {
        if (failures <= 0) return TimeSpan.Zero;
        var exponential = initial.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 20));
        var capped = Math.Min(exponential, max.TotalMilliseconds);
        var jitter = 0.75 + (random ?? Random.Shared).NextDouble() * 0.5;
        return TimeSpan.FromMilliseconds(capped * jitter);
    }
}
