using System.Globalization;

namespace Portal.Localization;

/// <summary>
/// The four UI languages. The public <c>?lang=</c> codes are the contract's (uz, uz-Cyrl, ru, en); Uzbek Latin is the
/// default and the neutral resources, so "uz" maps to the uz-Latn culture.
/// </summary>
public static class PortalCultures
{
    public const string QueryKey = "lang";
    public const string CookieName = ".Portal.Culture";
    public const string Default = "uz-Latn";

    /// <summary>Public code -> culture name, in the order the switcher shows them.</summary>
    public static readonly IReadOnlyList<(string Code, string Culture, string Label)> All =
    [
        ("uz", "uz-Latn", "Oʻzbekcha"),
        ("uz-Cyrl", "uz-Cyrl", "Ўзбекча"),
        ("ru", "ru", "Русский"),
        ("en", "en", "English"),
    ];

    public static string[] CultureNames => [.. All.Select(c => c.Culture)];

    /// <summary>The culture for a public code or culture name (case-insensitive); null if it is not one of the four.</summary>
    public static string? CultureOf(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        foreach (var (c, culture, _) in All)
            if (string.Equals(code, c, StringComparison.OrdinalIgnoreCase) || string.Equals(code, culture, StringComparison.OrdinalIgnoreCase)) return culture;
        return null;
    }

    /// <summary>The public code of a culture (uz-Latn -> uz).</summary>
    public static string CodeOf(CultureInfo culture)
    {
        foreach (var (c, name, _) in All)
            if (culture.Name == name) return c;
        return "uz";
    }

    /// <summary>The value of the html lang attribute (BCP 47).</summary>
    public static string HtmlLang(CultureInfo culture) => culture.Name switch { "uz-Latn" => "uz-Latn", "" => "uz-Latn", var n => n };
}
