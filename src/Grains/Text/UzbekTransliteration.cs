using System.Text;

namespace Portal.Grains.Text;

/// <summary>
/// Uzbek Latin to Cyrillic (the 1995 alphabet mapping), for the Cyrillic forms of Uzbek words. Only for Uzbek: a foreign
/// name spelt letter by letter comes out wrong ("Euronews" is not "Эуронеwс"), so such names are passed as
/// <c>keepLatin</c> and stay in their own spelling inside the Cyrillic text.
/// </summary>
public static class UzbekTransliteration
{
    // Longest match first: digraphs and apostrophe letters before single letters.
    private static readonly (string Latin, string Cyrillic)[] Pairs =
    [
        // "yoʻ" is y + oʻ (Yoʻldoshev -> Йўлдошев), not yo + an apostrophe.
        ("yo'", "йў"), ("o'", "ў"), ("g'", "ғ"), ("sh", "ш"), ("ch", "ч"), ("yo", "ё"), ("yu", "ю"), ("ya", "я"), ("ye", "е"), ("ts", "ц"),
        ("a", "а"), ("b", "б"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "ҳ"), ("i", "и"), ("j", "ж"),
        ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("q", "қ"), ("r", "р"), ("s", "с"),
        ("t", "т"), ("u", "у"), ("v", "в"), ("x", "х"), ("y", "й"), ("z", "з"), ("'", "ъ"),
    ];

    public static string ToCyrillic(string latin) => ToCyrillicUzbek(latin);

    /// <summary>As <see cref="ToCyrillic(string)"/>, each of <paramref name="keepLatin"/> (whole words) left as written.</summary>
    public static string ToCyrillic(string latin, IReadOnlyCollection<string> keepLatin)
    {
        if (keepLatin.Count == 0) return ToCyrillicUzbek(latin);
        var result = new StringBuilder(latin.Length);
        var start = 0;
        while (start < latin.Length)
        {
            var (at, kept) = NextKept(latin, start, keepLatin);
            if (kept is null) { result.Append(ToCyrillicUzbek(latin[start..])); break; }
            result.Append(ToCyrillicUzbek(latin[start..at])).Append(kept);
            start = at + kept.Length;
        }
        return result.ToString();
    }

    // The earliest whole-word occurrence of any kept name (the longest where two start together).
    private static (int At, string? Kept) NextKept(string text, int from, IReadOnlyCollection<string> keepLatin)
    {
        var best = (At: -1, Kept: (string?)null);
        foreach (var word in keepLatin)
        {
            if (word.Length == 0) continue;
            for (var i = text.IndexOf(word, from, StringComparison.Ordinal); i >= 0; i = text.IndexOf(word, i + 1, StringComparison.Ordinal))
            {
                var end = i + word.Length;
                var whole = (i == 0 || !char.IsLetter(text[i - 1])) && (end == text.Length || !char.IsLetter(text[end]));
                if (!whole) continue;
                if (best.Kept is null || i < best.At || (i == best.At && word.Length > best.Kept.Length)) best = (i, text.Substring(i, word.Length));
                break;
            }
        }
        return best;
    }

    private static string ToCyrillicUzbek(string latin)
    {
        var text = latin.Replace('ʻ', '\'').Replace('‘', '\'').Replace('’', '\'').Replace('ʼ', '\'');
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var atWordStart = i == 0 || !char.IsLetter(text[i - 1]);
            var matched = false;
            foreach (var (lat, cyr) in Pairs)
            {
                if (string.Compare(text, i, lat, 0, lat.Length, StringComparison.OrdinalIgnoreCase) != 0) continue;
                // A word-initial e is э; the Russian-style "ts" only inside words.
                var output = lat == "e" && atWordStart ? "э" : cyr;
                if (lat == "ts" && atWordStart) continue;
                result.Append(char.IsUpper(text[i]) ? char.ToUpperInvariant(output[0]) + output[1..] : output);
                i += lat.Length;
                matched = true;
                break;
            }
            if (!matched) result.Append(text[i++]);
        }
        return result.ToString();
    }
}
