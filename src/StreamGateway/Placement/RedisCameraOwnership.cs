using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Portal.StreamGateway.Placement;

/// <summary>
/// Cluster mode: a camera belongs to the node holding its lease (a Redis key with a TTL, SET NX PX). A node renews its
/// leases every renew interval; when it dies they expire and the live nodes claim them on their next refresh. Each node
/// takes at most its fair share (cameras / live nodes, counted from heartbeats), so cameras spread and move back when
/// a node joins.
/// </summary>
public sealed partial class RedisCameraOwnership(IConnectionMultiplexer redis, string nodeName, string keyPrefix, TimeSpan leaseTtl, ILogger<RedisCameraOwnership> logger)
    : ICameraOwnership
{
    private readonly HashSet<string> _owned = new(StringComparer.Ordinal);

    public string NodeName => nodeName;

    public async Task<IReadOnlySet<string>> RefreshAsync(IReadOnlyList<string> cameraIds, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var ttl = (long)leaseTtl.TotalMilliseconds;
        var nodesKey = (RedisKey)(keyPrefix + "nodes");
        await db.SortedSetAddAsync(nodesKey, nodeName, now);
        await db.SortedSetRemoveRangeByScoreAsync(nodesKey, double.NegativeInfinity, now - ttl);
        var nodes = Math.Max(1, await db.SortedSetLengthAsync(nodesKey));
        var fairShare = (int)Math.Ceiling(cameraIds.Count / (double)nodes);

        var wanted = cameraIds.ToHashSet(StringComparer.Ordinal);
        foreach (var id in _owned.ToList())
        {
            var renewed = wanted.Contains(id) && await RedisLease.RenewAsync(db, LeaseKey(id), nodeName, leaseTtl);
            if (!renewed)
            {
                _owned.Remove(id);
                if (wanted.Contains(id)) LogLost(logger, id, nodeName);
            }
        }

        // More than the fair share (a node joined): hand one back per refresh, so cameras move gradually.
        if (_owned.Count > fairShare)
        {
            var extra = _owned.Order(StringComparer.Ordinal).Last();
            await RedisLease.ReleaseAsync(db, LeaseKey(extra), nodeName);
            _owned.Remove(extra);
        }

        if (_owned.Count < fairShare)
        {
            // Start at a node-specific place in the list so nodes do not all race for the same keys.
            var start = (int)((uint)StringComparer.Ordinal.GetHashCode(nodeName) % (uint)Math.Max(1, cameraIds.Count));
            for (var i = 0; i < cameraIds.Count && _owned.Count < fairShare; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var id = cameraIds[(start + i) % cameraIds.Count];
                if (_owned.Contains(id)) continue;
                if (await RedisLease.TryAcquireAsync(db, LeaseKey(id), nodeName, leaseTtl))
                {
                    _owned.Add(id);
                    LogClaimed(logger, id, nodeName);
                }
            }
        }
        return _owned.ToHashSet(StringComparer.Ordinal);
    }

    public async Task ReleaseAllAsync(CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        foreach (var id in _owned) await RedisLease.ReleaseAsync(db, LeaseKey(id), nodeName);
        _owned.Clear();
        await db.SortedSetRemoveAsync(keyPrefix + "nodes", nodeName);
    }

    private RedisKey LeaseKey(string cameraId) => keyPrefix + "camera:" + cameraId;

    [LoggerMessage(LogLevel.Information, "Camera {CameraId} claimed by gateway node {NodeName}")]
    private static partial void LogClaimed(ILogger logger, string cameraId, string nodeName);

    [LoggerMessage(LogLevel.Warning, "Camera {CameraId} lease lost by gateway node {NodeName}")]
    private static partial void LogLost(ILogger logger, string cameraId, string nodeName);
}
