using System.Globalization;
using Portal.Grains.Abstractions;

namespace Portal.Components.Shared;

/// <summary>A candidate's name in the script of the UI language (see <see cref="Names.Form"/>), else as on the ballot.</summary>
public static class CandidateNames
{
    public static string Pick(CandidateInfo candidate, CultureInfo? culture = null) => Names.Form(candidate.Name, candidate.NameForms, culture);
}
