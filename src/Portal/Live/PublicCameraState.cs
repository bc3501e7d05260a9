using Portal.Grains.Abstractions;
using Portal.Grains.Model;
using Portal.Ops;

namespace Portal.Live;

/// <summary>
/// What anyone may know of a camera (the <c>camera</c> message, contract section 4): its state and since when, in the
/// election's time (the pages' clock). Never its source or the gateway's error text: those can name a camera's address.
/// </summary>
public sealed record PublicCameraState(string CameraId, string StationId, CameraState State, DateTimeOffset? Since)
{
    public static PublicCameraState Of(CameraStateChanged change, ElectionClock clock) =>
        new(change.CameraId, change.StationId, change.State, clock.ElectionTimeOf(change.At));

    public static PublicCameraState Of(CameraTile tile, ElectionClock clock) =>
        new(tile.CameraId, tile.StationId, tile.State, tile.Since is { } since ? clock.ElectionTimeOf(since) : null);
}

/// <summary>The snapshot of the cameras topic: every enabled camera's public state (the <c>cameras</c> message).</summary>
public sealed record PublicCameraStates(IReadOnlyList<PublicCameraState> Cameras);
