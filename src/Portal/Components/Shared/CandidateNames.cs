using System.Globalization;
using Portal.Grains.Abstractions;

namespace Portal.Components.Shared;

/// <summary>A candidate's name in the script of the UI language where the definition has it, else as on the ballot.</summary>
public static class CandidateNames
{
    public static string Pick(CandidateInfo candidate, CultureInfo? culture = null)
    {
        var name = (culture ?? CultureInfo.CurrentUICulture).Name;
        if (candidate.NameForms.TryGetValue(name, out var exact)) return exact;
        if (name != "uz-Latn" && candidate.NameForms.TryGetValue(name.Split('-')[0], out var byLanguage)) return byLanguage;
        return candidate.Name;
    }
}
