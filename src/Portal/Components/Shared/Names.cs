using System.Globalization;
using Portal.Grains.Text;

namespace Portal.Components.Shared;

/// <summary>
/// The one place a name (region, contest, constituency, party, candidate, address) is put into the page's language and
/// script. The form for the page's culture where the definition has it; else: uz-Latn -> the Uzbek (Latin) form;
/// uz-Cyrl -> the Uzbek Latin form transliterated (fine for Uzbek words); ru -> the definition's default (never the
/// Uzbek Cyrillic letters passed off as Russian); en -> the Uzbek Latin form.
/// </summary>
public static class Names
{
    /// <summary>A name dictionary's form for the culture (keys: uz or uz-Latn, uz-Cyrl, ru, en).</summary>
    public static string Pick(IReadOnlyDictionary<string, string>? names, CultureInfo? culture = null)
    {
        if (names is null || names.Count == 0) return "";
        if ((Get(names, "uz") ?? Get(names, "uz-Latn")) is { } latin) return Form(latin, names, culture);
        // No Uzbek Latin form to start from: the culture's own, else what there is (Cyrillic before English for uz-Cyrl).
        var name = (culture ?? CultureInfo.CurrentUICulture).Name;
        return Get(names, name) ?? (name is "uz-Cyrl" ? Get(names, "ru") : null)
            ?? Get(names, "en") ?? Get(names, "ru") ?? Get(names, "uz-Cyrl") ?? names.Values.First();
    }

    /// <summary>A station's address in the page's script where the definition has that form, else derived from the address as written.</summary>
    public static string Address(string address, IReadOnlyDictionary<string, string>? forms, CultureInfo? culture = null) =>
        Form(address, forms, culture);

    /// <summary>
    /// The form of a name for the culture: <paramref name="written"/> is the name as the definition writes it (a ballot
    /// name, an address: Uzbek Latin), <paramref name="forms"/> its other forms by culture.
    /// </summary>
    public static string Form(string written, IReadOnlyDictionary<string, string>? forms, CultureInfo? culture = null)
    {
        var name = (culture ?? CultureInfo.CurrentUICulture).Name;
        if (Get(forms, name) is { } exact) return exact;
        var latin = Get(forms, "uz") ?? Get(forms, "uz-Latn") ?? written;
        return name switch
        {
            "uz-Cyrl" => UzbekTransliteration.ToCyrillic(latin),
            "ru" => written,
            _ => latin,
        };
    }

    /// <summary>
    /// A text (a decision's title or body) in the page's language where it has one, else in the language it has, with that
    /// language: never transliterated, so the page can mark it (lang attribute, a note) instead of passing it off.
    /// </summary>
    public static (string Text, string Language) Text(IReadOnlyDictionary<string, string>? texts, CultureInfo? culture = null)
    {
        if (texts is null || texts.Count == 0) return ("", "");
        var name = (culture ?? CultureInfo.CurrentUICulture).Name;
        string[] order = name switch
        {
            "uz-Cyrl" => ["uz-Cyrl", "uz", "uz-Latn", "ru", "en"],
            "ru" => ["ru", "uz", "uz-Latn", "uz-Cyrl", "en"],
            "en" => ["en", "uz", "uz-Latn", "ru", "uz-Cyrl"],
            _ => ["uz-Latn", "uz", "uz-Cyrl", "ru", "en"],
        };
        foreach (var key in order)
            if (Get(texts, key) is { } text) return (text, key == "uz" ? "uz-Latn" : key);
        var first = texts.First(t => !string.IsNullOrWhiteSpace(t.Value));
        return (first.Value, first.Key);
    }

    private static string? Get(IReadOnlyDictionary<string, string>? forms, string key) =>
        forms is not null && forms.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
