namespace Portal.StreamGateway.Placement;

/// <summary>Decides which cameras this gateway node supervises. Called by the supervisor every renew interval.</summary>
public interface ICameraOwnership
{
    /// <summary>Claims or renews cameras among <paramref name="cameraIds"/> and returns the ones this node owns now.</summary>
    Task<IReadOnlySet<string>> RefreshAsync(IReadOnlyList<string> cameraIds, CancellationToken cancellationToken);

    /// <summary>Gives up every camera (clean shutdown: the others take over at once instead of after the lease expires).</summary>
    Task ReleaseAllAsync(CancellationToken cancellationToken);
}

/// <summary>Embedded mode: one gateway, it owns every camera.</summary>
public sealed class EmbeddedCameraOwnership : ICameraOwnership
{
    public Task<IReadOnlySet<string>> RefreshAsync(IReadOnlyList<string> cameraIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<string>>(cameraIds.ToHashSet(StringComparer.Ordinal));

    public Task ReleaseAllAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
