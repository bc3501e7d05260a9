using System.Globalization;

namespace Portal.Search.Text;

/// <summary>
/// People look for their polling station by its number, phrased as they say it: "683", "uchastka 683", "683-uchastka",
/// "участок 683", "№683", "683-son saylov uchastkasi", "polling station 683". A query made of one number and only such
/// station words means that number: the words are dropped, so any inflection or script of them finds the station
/// (whose title holds the number in every language). Anything else in the query keeps it a full-text query.
/// </summary>
public static class StationNumberPhrasing
{
    // Folded (lower case, Uzbek/Russian Cyrillic to Latin, apostrophes dropped, see UzbekFolding) forms of the words
    // that say "polling station" or "number" in uz, uz-Cyrl, ru and en, with their common inflections.
    private static readonly HashSet<string> StationWords = new(StringComparer.Ordinal)
    {
        // uz / uz-Cyrl: saylov uchastkasi, 683-son, raqamli
        "saylov", "uchastka", "uchastkasi", "uchastkaning", "uchastkasiga", "uchastkasida", "uchastkalar", "son", "sonli", "raqam", "raqamli",
        // ru: избирательный участок № 683, участка, УИК
        "izbiratelniy", "izbiratelnogo", "izbiratelnom", "izbiratelnyy", "uchastok", "uchastke", "uchastku", "uik", "nomer",
        // en
        "polling", "station", "no", "number", "ps",
    };

    /// <summary>The station number the query asks for, or null when the query is not (only) a station number.</summary>
    public static string? NumberOf(string text)
    {
        string? number = null;
        foreach (var word in Words(text))
        {
            if (word.All(char.IsAsciiDigit))
            {
                if (number is not null) return null;
                number = word;
                continue;
            }
            if (!StationWords.Contains(Fold(word))) return null;
        }
        if (number is null || number.Length > 9) return null;
        // "0683" is station 683, as its title writes it.
        return int.Parse(number, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    // Split on spaces, hyphens, "№", "#", ".", "," and ":" ("683-uchastka", "№683", "No. 683").
    private static IEnumerable<string> Words(string text) =>
        text.Split([' ', '\t', '-', '–', '—', '№', '#', '.', ',', ':'], StringSplitOptions.RemoveEmptyEntries);

    private static string Fold(string word)
    {
        var folded = new System.Text.StringBuilder(word.Length + 4);
        foreach (var c in word.ToLowerInvariant())
        {
            if (UzbekFolding.IsApostrophe(c)) continue;
            var letter = c.ToString();
            var latin = Array.Find(UzbekFolding.Letters, l => l.Cyrillic == letter).Latin;
            folded.Append(latin ?? letter);
        }
        return folded.ToString();
    }
}
