using System.Text.RegularExpressions;

namespace Portal.StreamGateway;

/// <summary>Camera sources are secrets: anything ffmpeg prints passes through here before it is stored or logged.</summary>
public static partial class Redaction
{
    public static string Redact(string text, string? secret = null)
    {
        if (!string.IsNullOrEmpty(secret)) text = text.Replace(secret, "<source>", StringComparison.Ordinal);
        return Url().Replace(text, "<source>");
    }

    [GeneratedRegex(@"(rtsps?|rtmp|https?|srt|udp|tcp)://[^\s'""]+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();
}
