using System.Text;

namespace Portal.Grains.Demo;

/// <summary>
/// The Russian forms of the demo's Uzbek names and places, as Russian texts write them (Самарканд, Ташкент, Каримов
/// Акмал Баходирович), not the Uzbek Cyrillic letters (Самарқанд): places Russian spells its own way are listed, the
/// rest follow the usual correspondences (oʻ -> у, q -> к, gʻ -> г, h/x -> х, initial j -> дж, final iy -> и; and in
/// place names and surnames, Russified long ago, o -> а, while given names and streets keep their o: Дилноза, Бобур).
/// Good for the demo's names; not a general converter.
/// </summary>
public static class RussianForms
{
    private static readonly Dictionary<string, string> Places = new(StringComparer.Ordinal)
    {
        ["Toshkent"] = "Ташкент", ["Fargʻona"] = "Фергана", ["Qoʻqon"] = "Коканд", ["Termiz"] = "Термез", ["Urganch"] = "Ургенч",
        ["Jizzax"] = "Джизак", ["Denov"] = "Денау", ["Qoʻngʻirot"] = "Кунград", ["Toʻrtkoʻl"] = "Турткуль", ["Olmaliq"] = "Алмалык",
        ["Xoʻjaobod"] = "Ходжаабад", ["Xoʻjayli"] = "Ходжейли", ["Ellikqalʼa"] = "Элликкала", ["Amudaryo"] = "Амударья",
        ["Sirdaryo"] = "Сырдарья", ["Oqdaryo"] = "Акдарья", ["Zomin"] = "Зомин", ["Angor"] = "Ангор", ["Boʻston"] = "Бустан",
        ["Boʻstonliq"] = "Бостанлык", ["Mirzo Ulugʻbek"] = "Мирзо-Улугбек", ["Ibn Sino"] = "Ибн Сино", ["Oybek"] = "Айбек", ["Navoiy"] = "Навои",
        ["Alisher Navoiy"] = "Алишера Навои", ["Amir Temur"] = "Амира Темура", ["Bobur"] = "Бабура",
    };

    // Street names are genitive after "улица" (улица Амира Темура); these are the ones that change.
    private static readonly HashSet<string> GenitiveStreets = ["Alisher Navoiy", "Amir Temur", "Bobur"];

    private static readonly Dictionary<string, string> Buildings = new(StringComparer.Ordinal)
    {
        ["maktab"] = "школа", ["kollej"] = "колледж", ["madaniyat markazi"] = "центр культуры",
        ["mahalla guzari"] = "махаллинский гузар", ["litsey"] = "лицей",
    };

    /// <summary>A place (district, city) in its Russian form.</summary>
    public static string Place(string uzbek) => Places.TryGetValue(uzbek, out var known) ? known : Words(uzbek, russified: true);

    /// <summary>"улица Амира Темура" for "Amir Temur".</summary>
    public static string Street(string uzbek) =>
        "улица " + (GenitiveStreets.Contains(uzbek) && Places.TryGetValue(uzbek, out var genitive) ? genitive : Words(uzbek, russified: false));

    /// <summary>"школа" for "maktab".</summary>
    public static string Building(string uzbek) => Buildings.TryGetValue(uzbek, out var ru) ? ru : Words(uzbek, russified: false);

    /// <summary>A person's name (surname, given name, patronymic) in its Russian spelling: the surname Russified.</summary>
    public static string Person(string uzbek) => string.Join(' ', uzbek.Split(' ').Select((word, i) => Word(word, russified: i == 0)));

    private static string Words(string text, bool russified) => string.Join(' ', text.Split(' ').Select(w => Word(w, russified)));

    private static string Word(string word, bool russified)
    {
        if (word.Length == 0) return word;
        var w = word.Replace('\'', 'ʻ').Replace('‘', 'ʻ').Replace('`', 'ʻ');
        var lower = w.ToLowerInvariant();
        var result = new StringBuilder(w.Length + 4);
        var i = 0;
        while (i < lower.Length)
        {
            var atStart = i == 0 || !char.IsLetter(lower[i - 1]);
            var rest = lower.AsSpan(i);
            var (ru, length) = rest switch
            {
                _ when rest.StartsWith("daryo") => ("дарья", 5),
                _ when rest.StartsWith("yoʻ") => ("ю", 3),
                _ when rest.StartsWith("oʻ") => ("у", 2),
                _ when rest.StartsWith("gʻ") => ("г", 2),
                _ when rest.StartsWith("sh") => ("ш", 2),
                _ when rest.StartsWith("ch") => ("ч", 2),
                _ when rest.StartsWith("yo") => ("ё", 2),
                _ when rest.StartsWith("yu") => ("ю", 2),
                _ when rest.StartsWith("ya") => ("я", 2),
                _ when rest.StartsWith("ye") => ("е", 2),
                _ when rest.StartsWith("iy") && (rest.Length == 2 || !char.IsLetter(rest[2])) => ("и", 2),
                // The Russian surname and patronymic endings keep their o: -ov, -ova, -ovich, -ovna.
                _ when rest.StartsWith("ov") && (rest.Length == 2 || rest[2..] is "a" or "ich" or "na") => ("ов", 2),
                _ when rest[0] == 'ʼ' => ("", 1),
                _ when rest[0] == 'j' => (atStart ? "дж" : "ж", 1),
                _ when rest[0] == 'e' => (atStart ? "э" : "е", 1),
                _ when rest[0] == 'o' => (russified ? "а" : "о", 1),
                _ => (Letter(rest[0]), 1),
            };
            if (ru.Length > 0 && char.IsUpper(w[i])) ru = char.ToUpperInvariant(ru[0]) + ru[1..];
            result.Append(ru);
            i += length;
        }
        return result.ToString();
    }

    private static string Letter(char c) => c switch
    {
        'a' => "а", 'b' => "б", 'd' => "д", 'f' => "ф", 'g' => "г", 'h' => "х", 'i' => "и", 'k' => "к", 'l' => "л",
        'm' => "м", 'n' => "н", 'o' => "а", 'p' => "п", 'q' => "к", 'r' => "р", 's' => "с", 't' => "т", 'u' => "у",
        'v' => "в", 'x' => "х", 'y' => "й", 'z' => "з",
        _ => c.ToString(),
    };
}
