namespace Portal.Grains.Abstractions;

public enum CameraState
{
    Unknown = 0,
    Starting = 1,
    Live = 2,
    Stalled = 3,
    Frozen = 4,
    Black = 5,
    Offline = 6,
    Disabled = 7,
}

/// <summary>What the gateway observed of one camera at one moment.</summary>
/// <param name="LastError">ffmpeg's redacted text, for the ops screens only.</param>
/// <param name="Reason">Why the camera is in this state, as one of the fixed codes of <c>CameraStateReasons</c> (the public record keeps only this).</param>
[GenerateSerializer, Immutable, Alias("portal.CameraHealthReport")]
public sealed record CameraHealthReport(
    [property: Id(0)] CameraState State,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] double BitrateKbps,
    [property: Id(3)] int Restarts,
    [property: Id(4)] string? LastError,
    [property: Id(5)] DateTimeOffset? LastSegmentAt,
    [property: Id(6)] string? GatewayNode,
    [property: Id(7)] string? Reason = null);

[GenerateSerializer, Immutable, Alias("portal.CameraStateChange")]
public sealed record CameraStateChange(
    [property: Id(0)] CameraState State,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? Reason);

[GenerateSerializer, Immutable, Alias("portal.CameraStatus")]
public sealed record CameraStatus(
    [property: Id(0)] string CameraId,
    [property: Id(1)] string StationId,
    [property: Id(2)] bool Enabled,
    [property: Id(3)] CameraState State,
    [property: Id(4)] DateTimeOffset? Since,
    [property: Id(5)] double BitrateKbps,
    [property: Id(6)] int Restarts,
    [property: Id(7)] string? LastError,
    [property: Id(8)] DateTimeOffset? LastSegmentAt,
    [property: Id(9)] IReadOnlyList<CameraStateChange> History);

/// <summary>One camera moved to another state; carries the newest status (no source URL).</summary>
[GenerateSerializer, Immutable, Alias("portal.CameraStateChanged")]
public sealed record CameraStateChanged(
    [property: Id(0)] string CameraId,
    [property: Id(1)] string StationId,
    [property: Id(2)] CameraState State,
    [property: Id(3)] CameraState Previous,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] double BitrateKbps,
    [property: Id(6)] int Restarts,
    [property: Id(7)] string? LastError);
