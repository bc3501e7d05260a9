namespace Portal.Search.Text;

/// <summary>
/// Folds Uzbek Cyrillic and Latin (and Russian Cyrillic) to one Latin form, so Мирзиёев, Mirziyoyev and mirziyoev,
/// or Ўзбекистон, O'zbekiston, Oʻzbekiston and O‘zbekiston meet in one term. The one table both backends build their
/// analysis from: Lucene's MappingCharFilter and Elasticsearch's <c>mapping</c> char filter (never a copy of it).
/// </summary>
internal static class UzbekFolding
{
    // Every keyboard form of the apostrophe letters oʻ gʻ and of the tutuq belgisi ʼ (and Cyrillic ъ) is dropped:
    // people type "ozbekiston" as often as "o'zbekiston", so o' meets o and g' meets g.
    internal static readonly string[] Apostrophes =
    [
        "'", "ʻ", "ʼ", "‘", "’", "`", "´", "ʹ", "′", "ʽ", "ˈ", "＇", "‛",
    ];

    internal static readonly (string Cyrillic, string Latin)[] Letters =
    [
        ("а", "a"), ("б", "b"), ("в", "v"), ("г", "g"), ("д", "d"), ("е", "e"), ("ё", "yo"), ("ж", "j"), ("з", "z"),
        ("и", "i"), ("й", "y"), ("к", "k"), ("л", "l"), ("м", "m"), ("н", "n"), ("о", "o"), ("п", "p"), ("р", "r"),
        ("с", "s"), ("т", "t"), ("у", "u"), ("ф", "f"), ("х", "x"), ("ц", "ts"), ("ч", "ch"), ("ш", "sh"), ("щ", "sh"),
        ("ъ", ""), ("ы", "i"), ("ь", ""), ("э", "e"), ("ю", "yu"), ("я", "ya"),
        // Uzbek letters.
        ("ў", "o"), ("қ", "q"), ("ғ", "g"), ("ҳ", "h"),
        // Kazakh/Karakalpak forms seen in names.
        ("ң", "ng"), ("ә", "a"), ("ө", "o"), ("ү", "u"), ("і", "i"),
    ];

    /// <summary>
    /// Every replacement of the char filter, one char (either case) to its folded form: apostrophes to nothing,
    /// Cyrillic letters to Latin. Both backends' char filters are built from this list.
    /// </summary>
    internal static IEnumerable<(string From, string To)> CharMappings()
    {
        foreach (var apostrophe in Apostrophes) yield return (apostrophe, "");
        foreach (var (cyrillic, latin) in Letters)
        {
            yield return (cyrillic, latin);
            var upper = cyrillic.ToUpperInvariant();
            if (upper != cyrillic) yield return (upper, latin);
        }
    }

    // The same replacements as CharMappings, char by char (every key of the map is one char), for folding a text whose
    // offsets must be mapped back: highlighting folds the stored text itself instead of going through
    // MappingCharFilter, which reads one char at a time under a lock and was most of a page's highlighting cost.
    // Indexed by char below U+0500 (Latin and Cyrillic); the few apostrophes above it are looked up in the map.
    private static readonly Dictionary<char, string> Replacements = BuildReplacements();
    private const int TableSize = 0x500;
    private static readonly string?[] ReplacementTable =
        [.. Enumerable.Range(0, TableSize).Select(c => Replacements.GetValueOrDefault((char)c))];

    private static Dictionary<char, string> BuildReplacements()
    {
        var map = new Dictionary<char, string>();
        foreach (var apostrophe in Apostrophes) map[apostrophe[0]] = "";
        foreach (var (cyrillic, latin) in Letters)
        {
            map[cyrillic[0]] = latin;
            map[char.ToUpperInvariant(cyrillic[0])] = latin;
        }
        return map;
    }

    /// <summary>The most chars <see cref="Fold"/> can make of a text of <paramref name="length"/> chars.</summary>
    internal static int MaxFoldedLength(int length) => Math.Max(1, length * 2);

    /// <summary>
    /// Writes <paramref name="text"/> with the char map applied into <paramref name="folded"/> (at least
    /// <see cref="MaxFoldedLength"/> chars) and returns its length; <paramref name="origin"/>[i] is the index in
    /// <paramref name="text"/> of the char that produced folded char i (one extra entry: the text's length).
    /// </summary>
    internal static int Fold(ReadOnlySpan<char> text, Span<char> folded, Span<int> origin)
    {
        var n = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var replacement = c < TableSize ? ReplacementTable[c] : Replacements.GetValueOrDefault(c);
            if (replacement is null)
            {
                origin[n] = i;
                folded[n++] = c;
                continue;
            }
            foreach (var r in replacement)
            {
                origin[n] = i;
                folded[n++] = r;
            }
        }
        origin[n] = text.Length;
        return n;
    }

    internal static bool IsApostrophe(char c) => Array.IndexOf(Apostrophes, c.ToString()) >= 0;

    internal static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    /// <summary>
    /// Drops the y that Latin spellings write and transliterations leave out or add: between vowels (Mirziyoyev ~
    /// mirziyoev ~ Мирзиёев) and before e at the start (Yevropa ~ Европа). <paramref name="asPrefix"/>: a y ending a
    /// prefix after a vowel may be one of those, so it goes too.
    /// </summary>
    internal static int FoldY(char[] buffer, int length, bool asPrefix = false)
    {
        var write = 0;
        for (var read = 0; read < length; read++)
        {
            var c = buffer[read];
            if (c == 'y')
            {
                var next = read + 1 < length ? buffer[read + 1] : '\0';
                var previous = write > 0 ? buffer[write - 1] : '\0';
                var betweenVowels = write > 0 && IsVowel(previous) && IsVowel(next);
                var initialYe = write == 0 && next == 'e';
                var trailing = asPrefix && read == length - 1 && write > 0 && IsVowel(previous);
                if (betweenVowels || initialYe || trailing) continue;
            }
            buffer[write++] = c;
        }
        return write;
    }
}
