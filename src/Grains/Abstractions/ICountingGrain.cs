using Portal.Grains.Counting;

namespace Portal.Grains.Abstractions;

/// <summary>Volunteer ballot counting of one election (docs/counting.md): tasks, counts, known answers and the published figures. Key: election id.</summary>
public interface ICountingGrain : IGrainWithStringKey
{
    /// <summary>A clip the volunteer has not counted, archived already; null when there is none.</summary>
    Task<CountTask?> NextTaskAsync(string volunteer);

    Task<CountSubmitResult> SubmitAsync(string volunteer, string clipId, int count, int presses);

    /// <summary>Sets (or with null clears) a clip's known answer: what an ops user with the counter role counted.</summary>
    Task<bool> SetKnownAnswerAsync(string clipId, int? count);

    Task<StationCounting?> GetStationAsync(string stationId);

    /// <summary>
    /// The windows of every station with a count or an ops answer on any clip (the only ones that can reach the flag's
    /// coverage): what the forensics report reads.
    /// </summary>
    Task<IReadOnlyList<StationCounting>> GetCountedStationsAsync();

    Task<CountingSummary> GetSummaryAsync();

    Task<IReadOnlyList<ClipResult>> GetClipsAsync();
}
