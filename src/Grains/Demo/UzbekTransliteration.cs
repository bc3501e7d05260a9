using System.Text;

namespace Portal.Grains.Demo;

/// <summary>Uzbek Latin to Cyrillic, for the Cyrillic forms of generated names (the 1995 alphabet mapping).</summary>
public static class UzbekTransliteration
{
    // Longest match first: digraphs and apostrophe letters before single letters.
    private static readonly (string Latin, string Cyrillic)[] Pairs =
    [
        ("o'", "ў"), ("g'", "ғ"), ("sh", "ш"), ("ch", "ч"), ("yo", "ё"), ("yu", "ю"), ("ya", "я"), ("ye", "е"), ("ts", "ц"),
        ("a", "а"), ("b", "б"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "ҳ"), ("i", "и"), ("j", "ж"),
        ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"), ("q", "қ"), ("r", "р"), ("s", "с"),
        ("t", "т"), ("u", "у"), ("v", "в"), ("x", "х"), ("y", "й"), ("z", "з"), ("'", "ъ"),
    ];

    public static string ToCyrillic(string latin)
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
