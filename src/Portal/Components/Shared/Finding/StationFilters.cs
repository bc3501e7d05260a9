using System.Globalization;
using Portal.Grains.Model;
using Portal.Search.Text;

namespace Portal.Components.Shared.Finding;

/// <summary>
/// Which stations a region page's filter keeps: a number (phrased any way the search understands: "683",
/// "uchastka 683", "участок 683") matches that station; other text matches a station whose address, in any of its
/// scripts, contains it (case, accents and apostrophe styles ignored); "with camera" keeps stations with a camera on.
/// </summary>
public static class StationFilters
{
    public const int MaxFindLength = 100;

    private const CompareOptions Loose = CompareOptions.IgnoreCase | CompareOptions.IgnoreNonSpace | CompareOptions.IgnoreSymbols;

    public static bool Matches(StationDefinition station, string? find, bool withCamera)
    {
        if (withCamera && !station.Cameras.Any(c => c.Enabled)) return false;
        if (string.IsNullOrWhiteSpace(find)) return true;
        var text = find.Trim();
        if (text.Length > MaxFindLength) text = text[..MaxFindLength];
        if (StationNumberPhrasing.NumberOf(text) is { } number)
            return station.Number.ToString(CultureInfo.InvariantCulture) == number;
        var compare = CultureInfo.InvariantCulture.CompareInfo;
        text = WithoutApostrophes(text);
        return compare.IndexOf(WithoutApostrophes(station.Address), text, Loose) >= 0
            || (station.AddressForms?.Values.Any(a => compare.IndexOf(WithoutApostrophes(a), text, Loose) >= 0) ?? false);
    }

    // oʻ and gʻ are written with U+02BB, a letter to the comparer (IgnoreSymbols keeps it): people type ' ` ‘ ’ or
    // nothing, so every apostrophe form is dropped on both sides, as the search does.
    private static readonly char[] Apostrophes = ['\'', 'ʻ', 'ʼ', '‘', '’', '`', '´', 'ʹ', '′', 'ʽ', 'ˈ', '＇', '‛'];

    private static string WithoutApostrophes(string text) =>
        text.IndexOfAny(Apostrophes) < 0 ? text : string.Concat(text.Split(Apostrophes));
}
