using Microsoft.Extensions.Localization;
using Portal.Grains.Abstractions;
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

    public static string StationStatus(IStringLocalizer<Strings> l, string status) => l["StationStatus." + status];

    public static string ElectionStatus(IStringLocalizer<Strings> l, string status) => l["ElectionStatus." + status];

    public static string Camera(IStringLocalizer<Strings> l, CameraState state) => l["Camera." + state];

    public static string Field(IStringLocalizer<Strings> l, string field) => l["Field." + field];
}
