using System.Text;

namespace Portal.Search.Text;

/// <summary>
/// The highlighting rules both backends follow: a hit's title is its whole text, its snippet a window of about
/// <see cref="SnippetLength"/> characters around the first match; everything is HTML-escaped and the only markup is
/// &lt;mark&gt; around the matched words.
/// </summary>
internal static class HighlightMarkup
{
    public const string MarkOpen = "<mark>";
    public const string MarkClose = "</mark>";
    public const int SnippetLength = 240;

    /// <summary>The spans ordered, overlapping ones merged.</summary>
    public static List<(int Start, int End)> Merge(List<(int Start, int End)> spans)
    {
        spans.Sort();
        var merged = new List<(int Start, int End)>(spans.Count);
        foreach (var span in spans)
        {
            if (merged.Count > 0 && span.Start <= merged[^1].End)
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, span.End));
            else merged.Add(span);
        }
        return merged;
    }

    /// <summary>
    /// The folding char filter deletes apostrophes, so a token's offsets can take in a quote next to it
    /// ('Toshkent'). Keep an apostrophe only where it is part of a letter (oʻ, gʻ).
    /// </summary>
    public static (int Start, int End) Trim(string text, int start, int end)
    {
        while (start < end && UzbekFolding.IsApostrophe(text[start])) start++;
        while (end > start + 1 && UzbekFolding.IsApostrophe(text[end - 1]) && char.ToLowerInvariant(text[end - 2]) is not ('o' or 'g')) end--;
        return (start, end);
    }

    /// <summary>The whole text, escaped, with the spans marked.</summary>
    public static string Mark(string text, IReadOnlyList<(int Start, int End)> spans) => Mark(text, spans, 0, text.Length);

    /// <summary>A window of about <paramref name="length"/> characters around the first match, escaped, marked, with … where cut.</summary>
    public static string Snippet(string text, IReadOnlyList<(int Start, int End)> spans, int length)
    {
        if (text.Length <= length) return Mark(text, spans, 0, text.Length);
        var first = spans.Count > 0 ? spans[0].Start : 0;
        var start = Math.Max(0, first - length / 4);
        if (start > 0)
        {
            // Start at a word boundary.
            var space = text.LastIndexOfAny([' ', '\n'], start);
            start = space >= 0 && first - space < length / 2 ? space + 1 : start;
        }
        var end = Math.Min(text.Length, start + length);
        if (end < text.Length)
        {
            var space = text.LastIndexOfAny([' ', '\n'], end);
            if (space > start + length / 2) end = space;
        }
        var snippet = Mark(text, spans, start, end);
        return (start > 0 ? "…" : "") + snippet + (end < text.Length ? "…" : "");
    }

    private static string Mark(string text, IReadOnlyList<(int Start, int End)> spans, int from, int to)
    {
        var html = new StringBuilder(to - from + 32);
        var position = from;
        foreach (var (start, end) in spans)
        {
            if (end <= from || start >= to) continue;
            var s = Math.Max(start, from);
            var e = Math.Min(end, to);
            Escape(html, text, position, s);
            html.Append(MarkOpen);
            Escape(html, text, s, e);
            html.Append(MarkClose);
            position = e;
        }
        Escape(html, text, position, to);
        return html.ToString();
    }

    internal static void Escape(StringBuilder html, string text, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '<': html.Append("&lt;"); break;
                case '>': html.Append("&gt;"); break;
                case '&': html.Append("&amp;"); break;
                case '"': html.Append("&quot;"); break;
                case '\'': html.Append("&#39;"); break;
                default:
                    // Control characters have no business in a page.
                    if (char.IsControl(c) && c is not ('\n' or '\t')) html.Append(' ');
                    else html.Append(c);
                    break;
            }
        }
    }
}
