namespace Portal.Components.Shared;

/// <summary>One point of a turnout curve: the share (0-100) of the list that had been issued ballots at a moment.</summary>
public sealed record ChartPoint(DateTimeOffset At, double Percent);

/// <summary>A stretch of election time a camera (numbered from 1 on the station page) was without live video; Long when over the flag's 10 minutes.</summary>
public sealed record OutageBand(DateTimeOffset From, DateTimeOffset To, int Camera, bool Long);

/// <summary>One bar of a results chart: a candidate (or a party), with who they are and their votes.</summary>
public sealed record BarItem(string Id, string Label, string? Detail, long Votes);

/// <summary>A row of the stations table. Figures are null when not reported yet or embargoed.</summary>
public sealed record StationRow(
    string Id,
    int Number,
    string Address,
    int VotersOnList,
    long? VotersIssuedBallots,
    double? TurnoutPercent,
    string Status,
    long? BallotsInBoxes,
    IReadOnlyDictionary<string, long>? CandidateVotes);

/// <summary>A region tile: its share of ballots issued so far, coloured by bucket.</summary>
public sealed record RegionTile(string Id, string Name, double? Percent, int StationsReporting, int StationsTotal)
{
    /// <summary>0 = nothing reported, 1..5 = up to 20/40/60/80/100 percent.</summary>
    public int Bucket => Percent is not { } p || StationsReporting == 0 ? 0 : Math.Clamp((int)Math.Ceiling(p / 20), 1, 5);
}
