using Portal.Grains.Counting;

namespace Portal.Grains.Abstractions;

[GenerateSerializer, Immutable, Alias("portal.CountTask")]
public sealed record CountTask([property: Id(0)] CountClip Clip, [property: Id(1)] int StationNumber);

public enum CountSubmitOutcome { Accepted, AlreadyCounted, UnknownClip, NotArchivedYet }

[GenerateSerializer, Immutable, Alias("portal.CountSubmitResult")]
public sealed record CountSubmitResult([property: Id(0)] CountSubmitOutcome Outcome, [property: Id(1)] ClipResult? Clip);

/// <summary>A clip's state as published: counts of weight above zero, status, published count and spread.</summary>
[GenerateSerializer, Immutable, Alias("portal.ClipResult")]
public sealed record ClipResult(
    [property: Id(0)] CountClip Clip, [property: Id(1)] ClipStatus Status, [property: Id(2)] int Counts,
    [property: Id(3)] int? Published, [property: Id(4)] int? Spread, [property: Id(5)] bool KnownAnswer);

/// <summary>One reporting window of a station: ballots counted in its published clips and the share of the window they cover.</summary>
[GenerateSerializer, Immutable, Alias("portal.WindowCount")]
public sealed record WindowCount(
    [property: Id(0)] int Window, [property: Id(1)] DateTimeOffset Start, [property: Id(2)] DateTimeOffset End,
    [property: Id(3)] int Counted, [property: Id(4)] double Coverage, [property: Id(5)] int ClipsPublished, [property: Id(6)] int Clips)
{
    /// <summary>The counted ballots scaled up to the whole window (null before anything is counted).</summary>
    public double? Estimated => Coverage > 0 ? Counted / Coverage : null;
}

[GenerateSerializer, Immutable, Alias("portal.StationCounting")]
public sealed record StationCounting(
    [property: Id(0)] string StationId, [property: Id(1)] string CameraId, [property: Id(2)] IReadOnlyList<WindowCount> Windows);

[GenerateSerializer, Immutable, Alias("portal.CountingCoverage")]
public sealed record CountingCoverage(
    [property: Id(0)] string? RegionId, [property: Id(1)] int Cameras, [property: Id(2)] int Clips, [property: Id(3)] int ClipsPublished,
    [property: Id(4)] int Counts)
{
    public double Coverage => Clips == 0 ? 0 : (double)ClipsPublished / Clips;
}

[GenerateSerializer, Immutable, Alias("portal.CountingSummary")]
public sealed record CountingSummary(
    [property: Id(0)] CountingCoverage National, [property: Id(1)] IReadOnlyList<CountingCoverage> Regions, [property: Id(2)] int Volunteers,
    [property: Id(3)] int VolunteersExcluded);
