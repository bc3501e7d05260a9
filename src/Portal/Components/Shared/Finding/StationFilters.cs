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
        return compare.IndexOf(station.Address, text, Loose) >= 0
            || (station.AddressForms?.Values.Any(a => compare.IndexOf(a, text, Loose) >= 0) ?? false);
    }
}
