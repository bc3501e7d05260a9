namespace Portal.Grains.Abstractions;

[GenerateSerializer, Immutable, Alias("portal.ElectionSummary")]
public sealed record ElectionSummary(
    [property: Id(0)] string ElectionId,
    [property: Id(1)] IReadOnlyDictionary<string, string> Name,
    [property: Id(2)] string TimeZone,
    [property: Id(3)] DateTimeOffset PollsOpen,
    [property: Id(4)] DateTimeOffset PollsClose,
    [property: Id(5)] IReadOnlyList<ContestSummary> Contests,
    [property: Id(6)] IReadOnlyList<RegionSummary> Regions,
    [property: Id(7)] int StationCount,
    [property: Id(8)] long VotersOnList,
    [property: Id(9)] string ActivationSilo);

[GenerateSerializer, Immutable, Alias("portal.ContestSummary")]
public sealed record ContestSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] IReadOnlyDictionary<string, string> Name,
    [property: Id(3)] int ConstituencyCount);

[GenerateSerializer, Immutable, Alias("portal.RegionSummary")]
public sealed record RegionSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] IReadOnlyDictionary<string, string> Name,
    [property: Id(2)] int StationCount,
    [property: Id(3)] long VotersOnList);

[GenerateSerializer, Immutable, Alias("portal.CandidateInfo")]
public sealed record CandidateInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyDictionary<string, string> NameForms,
    [property: Id(3)] string Party);

[GenerateSerializer, Immutable, Alias("portal.ConstituencyInfo")]
public sealed record ConstituencyInfo(
    [property: Id(0)] string ElectionId,
    [property: Id(1)] string ContestId,
    [property: Id(2)] string Id,
    [property: Id(3)] string RegionId,
    [property: Id(4)] IReadOnlyDictionary<string, string> Name,
    [property: Id(5)] IReadOnlyList<CandidateInfo> Candidates,
    [property: Id(6)] IReadOnlyList<string> StationIds,
    [property: Id(7)] long VotersOnList);

[GenerateSerializer, Immutable, Alias("portal.StationInfo")]
public sealed record StationInfo(
    [property: Id(0)] string ElectionId,
    [property: Id(1)] string Id,
    [property: Id(2)] int Number,
    [property: Id(3)] string RegionId,
    [property: Id(4)] string Address,
    [property: Id(5)] IReadOnlyDictionary<string, string> AddressForms,
    [property: Id(6)] int VotersOnList,
    [property: Id(7)] IReadOnlyDictionary<string, string> Constituencies,
    [property: Id(8)] IReadOnlyList<CameraInfo> Cameras);

/// <summary>What the public may know of a camera: its id and whether it streams. Never its source.</summary>
[GenerateSerializer, Immutable, Alias("portal.CameraInfo")]
public sealed record CameraInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] bool Enabled);
