using Microsoft.Extensions.Localization;
using Portal.Grains.Abstractions;
using Portal.Grains.Model;
using Portal.Localization;

namespace Portal.Components.Shared;

/// <summary>Resource keys for the words the grains speak in (outcomes, statuses, camera states).</summary>
public static class Words
{
    public static string Outcome(IStringLocalizer<Strings> l, OutcomeKind kind) => l["Outcome." + kind];

    /// <summary>The outcome with the names it concerns: the winner, or the two in the repeat vote.</summary>
    public static string OutcomeDescription(IStringLocalizer<Strings> l, ConstituencyInfo info, Outcome outcome)
    {
        var text = Outcome(l, outcome.Kind);
        string Name(string? id) => info.Candidates.FirstOrDefault(x => x.Id == id) is { } x ? CandidateNames.Pick(x) : "";
        return outcome.Kind switch
        {
            OutcomeKind.Elected => $"{text}: {Name(outcome.WinnerId)}",
            OutcomeKind.RepeatVote => $"{text}: {string.Join(", ", outcome.RepeatVoteCandidateIds.Select(Name))}",
            _ => text,
        };
    }

    /// <summary>The outcome words by kind (the live JSON's camelCase names), for live.js to describe an outcome as this does.</summary>
    public static string OutcomeWordsJson(IStringLocalizer<Strings> l) => System.Text.Json.JsonSerializer.Serialize(
        Enum.GetValues<OutcomeKind>().ToDictionary(k => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(k.ToString()), k => Outcome(l, k)));

    /// <summary>Each candidate's name as the page shows it, by id (for an outcome's names).</summary>
    public static string CandidateNamesJson(ConstituencyInfo info) =>
        System.Text.Json.JsonSerializer.Serialize(info.Candidates.ToDictionary(c => c.Id, c => CandidateNames.Pick(c)));

    public static string StationStatus(IStringLocalizer<Strings> l, string status) => l["StationStatus." + status];

    public static string ElectionStatus(IStringLocalizer<Strings> l, string status) => l["ElectionStatus." + status];

    public static string Camera(IStringLocalizer<Strings> l, CameraState state) => l["Camera." + state];

    /// <summary>A standard correction reason in the reader's language; any other reason as the station wrote it.</summary>
    public static string CorrectionReason(IStringLocalizer<Strings> l, string? reason) =>
        CorrectionReasons.KeyOf(reason) is { } key ? l[key] : reason ?? "";

    /// <summary>"This text is in Uzbek (Latin script)": the note on a text shown in a language other than the page's.</summary>
    public static string InLanguage(IStringLocalizer<Strings> l, string language) => l["Text.InLanguage", l["Text.Language." + language].Value];

    public static string Field(IStringLocalizer<Strings> l, string field) => l["Field." + field];
}
