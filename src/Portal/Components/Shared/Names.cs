using System.Globalization;

namespace Portal.Components.Shared;

/// <summary>Picks the form of a name for the current UI culture, falling back through Uzbek Latin, Russian, English.</summary>
public static class Names
{
    private static readonly string[] Fallback = ["uz", "uz-Latn", "ru", "en", "uz-Cyrl"];

    public static string Pick(IReadOnlyDictionary<string, string>? names, CultureInfo? culture = null)
    {
        if (names is null || names.Count == 0) return "";
        var name = (culture ?? CultureInfo.CurrentUICulture).Name;
        if (names.TryGetValue(name, out var exact)) return exact;
        if (name.StartsWith("uz-Latn", StringComparison.Ordinal) && names.TryGetValue("uz", out var latin)) return latin;
        var language = name.Split('-')[0];
        if (language != "uz" && names.TryGetValue(language, out var byLanguage)) return byLanguage;
        foreach (var key in Fallback)
            if (names.TryGetValue(key, out var value)) return value;
        return names.Values.First();
    }

    /// <summary>A station's address in the UI's script where the definition has that form, else as written in the definition.</summary>
    public static string Address(string address, IReadOnlyDictionary<string, string>? forms, CultureInfo? culture = null)
    {
        var name = (culture ?? CultureInfo.CurrentUICulture).Name;
        if (forms is null || forms.Count == 0) return address;
        if (forms.TryGetValue(name, out var exact)) return exact;
        if (name == "uz-Latn" && forms.TryGetValue("uz", out var latin)) return latin;
        return address;
    }
}
