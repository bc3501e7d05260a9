using Portal.Counting;

namespace Portal.Apis;

// The bodies of the counting API (docs/counting.md), as records so that /openapi/v1.json describes them.

public sealed record CountWindowDto(DateTimeOffset Start, DateTimeOffset End);

/// <summary>A clip to count: its place in the day, the archive addresses that play it and its length in seconds.</summary>
public sealed record CountTaskDto(
    string ClipId, string CameraId, string StationId, int StationNumber, DateTimeOffset Start, DateTimeOffset End, CountWindowDto Window,
    DateTimeOffset VideoFrom, DateTimeOffset VideoTo, double Seconds, string Playlist);

/// <summary>A clip after a count: open, needs-more or settled, with its published count (the median) and spread.</summary>
public sealed record ClipCountDto(string ClipId, string StationId, string Status, int Counts, int? Published, int? Spread);

public sealed record CountingCoverageDto(string? RegionId, int Cameras, int Clips, int ClipsPublished, int Counts, double Coverage);

public sealed record CountingSummaryDto(
    string ElectionId, CountingCoverageDto National, IReadOnlyList<CountingCoverageDto> Regions, int Volunteers, int VolunteersExcluded);

public sealed record StationCountingDto(string ElectionId, string StationId, string CameraId, IReadOnlyList<CountingWindowRow> Windows);
