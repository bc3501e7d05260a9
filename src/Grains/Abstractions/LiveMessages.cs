namespace Portal.Grains.Abstractions;

/// <summary>Live hub topics and message types (api.md section 4 "Live hub").</summary>
public static class LiveTopics
{
    public const string Turnout = "turnout";
    public const string Results = "results";
    public const string Camera = "camera";
    public const string CamerasSnapshot = "cameras";

    /// <summary>A station's volunteer counting progress (docs/counting.md), on the station topic.</summary>
    public const string Counting = "counting";

    public static string Election(string electionId) => $"election:{electionId}";
    public static string Constituency(string electionId, string contestId, string constituencyId) => $"constituency:{electionId}:{contestId}:{constituencyId}";
    public static string Station(string electionId, string stationId) => $"station:{electionId}:{stationId}";

    /// <summary>Every camera's state changes (the national list of cameras on air, the observer's desk).</summary>
    public static string Cameras(string electionId) => $"cameras:{electionId}";
}

/// <summary>
/// The newest state of one topic (not a delta). <see cref="Json"/> is the camelCase JSON of the state object the hub
/// forwards as is; <see cref="ServerTime"/> lets viewers measure delivery latency.
/// </summary>
[GenerateSerializer, Immutable, Alias("portal.LiveMessage")]
public sealed record LiveMessage(
    [property: Id(0)] string Topic,
    [property: Id(1)] string Type,
    [property: Id(2)] string Json,
    [property: Id(3)] DateTimeOffset ServerTime);
