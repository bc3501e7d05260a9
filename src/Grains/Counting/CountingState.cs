namespace Portal.Grains.Counting;

/// <summary>
/// Durable state of <see cref="CountingGrain"/>. A volunteer is a random token's SHA-256 (never the token, never an
/// address); a count keeps the figure and how many presses made it, nothing personal.
/// </summary>
[GenerateSerializer, Alias("portal.CountingState")]
public sealed class CountingState
{
    /// <summary>clip id -> its counts in order of arrival.</summary>
    [Id(0)] public Dictionary<string, List<VolunteerCount>> Counts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>volunteer -> their known-answer record.</summary>
    [Id(1)] public Dictionary<string, KnownAnswerRecord> Volunteers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>clip id -> the answer an ops counter set (a real election's known-answer clips).</summary>
    [Id(2)] public Dictionary<string, int> KnownAnswers { get; set; } = new(StringComparer.Ordinal);
}

[GenerateSerializer, Alias("portal.VolunteerCount")]
public sealed class VolunteerCount
{
    [Id(0)] public string Volunteer { get; set; } = "";
    [Id(1)] public int Count { get; set; }
    [Id(2)] public int Presses { get; set; }
    [Id(3)] public DateTimeOffset At { get; set; }
}

[GenerateSerializer, Alias("portal.KnownAnswerRecord")]
public sealed class KnownAnswerRecord
{
    [Id(0)] public int Tried { get; set; }
    [Id(1)] public int Right { get; set; }
}
