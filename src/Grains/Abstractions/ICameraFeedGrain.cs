namespace Portal.Grains.Abstractions;

/// <summary>Cluster-wide feed of camera state changes (the ops wall and the live hub subscribe here). Key: 0.</summary>
public interface ICameraFeedGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>Subscriptions expire after <see cref="SubscriptionLifetime"/>; subscribers renew well before that.</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);

    Task SubscribeAsync(ICameraStateObserver observer);

    Task UnsubscribeAsync(ICameraStateObserver observer);

    Task PublishAsync(CameraStateChanged change);
}

/// <summary>Receives every camera state change in the cluster (best effort, as Orleans observers are).</summary>
public interface ICameraStateObserver : IGrainObserver
{
    void OnCameraStateChanged(CameraStateChanged change);
}
