using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Portal.Grains.Ledger;

/// <summary>
/// The ledger chain's keys in one Redis: reads, and the fenced append every write goes through. Run Redis with
/// <c>appendonly yes</c> and <c>appendfsync always</c>: Redis then fsyncs the AOF before it replies, so an append it
/// confirmed is durable (docs/ledger.md). One connection per process, shared by the store and the chain's writer.
/// </summary>
public sealed partial class RedisLedgerChain(string configuration, LedgerOptions options, ILogger<RedisLedgerChain> logger) : IAsyncDisposable
{
    // KEYS[1] head hash, KEYS[2] entries list, KEYS[3] station list prefix; ARGV[1] expected seq, ARGV[2] expected hash,
    // then (station, entryJson, seq, hash) per entry. The expected head is the fence: a writer whose head is not the
    // chain's (a second or stale activation of the writer) appends nothing and is told the real head.
    private const string AppendScript = """
        local head = redis.call('HMGET', KEYS[1], 'seq', 'hash')
        local seq = tonumber(head[1] or '0')
        local hash = head[2] or ARGV[2]
        if seq ~= tonumber(ARGV[1]) or hash ~= ARGV[2] then return {0, tostring(seq), hash} end
        local n = (#ARGV - 2) / 4
        for i = 0, n - 1 do
            local station = ARGV[3 + i * 4]
            redis.call('RPUSH', KEYS[2], ARGV[4 + i * 4])
            redis.call('RPUSH', KEYS[3] .. station, ARGV[5 + i * 4])
        end
        redis.call('HSET', KEYS[1], 'seq', ARGV[5 + (n - 1) * 4], 'hash', ARGV[6 + (n - 1) * 4])
        return {1}
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _openLock = new(1, 1);
    private readonly RedisKey _headKey = $"{options.RedisPrefix}:head", _entriesKey = $"{options.RedisPrefix}:entries";
    private readonly string _stationPrefix = $"{options.RedisPrefix}:station:";
    private volatile ConnectionMultiplexer? _redis;

    /// <summary>The chain's name: the key prefix, which is also the key of its one writer.</summary>
    public string Name => options.RedisPrefix;

    public LedgerOptions Options => options;

    public async Task<LedgerHead> ReadHeadAsync()
    {
        var values = await (await DatabaseAsync()).HashGetAsync(_headKey, ["seq", "hash"]);
        return values[0].IsNull ? new LedgerHead(0, LedgerHash.Genesis) : new LedgerHead((long)values[0], (string)values[1]!);
    }

    public async Task<IReadOnlyList<LedgerEntry>> ReadAsync(long afterSeq, int limit)
    {
        if (limit <= 0) return [];
        var values = await (await DatabaseAsync()).ListRangeAsync(_entriesKey, afterSeq, afterSeq + limit - 1);
        return [.. values.Select(v => JsonSerializer.Deserialize<LedgerEntry>((string)v!, Json)!)];
    }

    public async Task<IReadOnlyList<LedgerEntry>> ReadStationsAsync(IReadOnlyCollection<string> stationIds)
    {
        var db = await DatabaseAsync();
        var seqLists = await Task.WhenAll(stationIds.Select(id => db.ListRangeAsync(_stationPrefix + id)));
        var gets = seqLists.SelectMany(list => list).Select(seq => db.ListGetByIndexAsync(_entriesKey, (long)seq - 1)).ToList();
        var entries = (await Task.WhenAll(gets)).Select(v => JsonSerializer.Deserialize<LedgerEntry>((string)v!, Json)!).ToList();
        entries.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return entries;
    }

    /// <summary>
    /// Appends <paramref name="entries"/> (chained on <paramref name="expected"/>, in order) in one script, only if the
    /// chain's head is still <paramref name="expected"/>. Null when appended (and, with appendfsync always, fsynced);
    /// otherwise the chain's real head, and nothing was written.
    /// </summary>
    public async Task<LedgerHead?> TryAppendAsync(LedgerHead expected, IReadOnlyList<LedgerEntry> entries)
    {
        if (entries.Count == 0) return null;
        var args = new RedisValue[2 + entries.Count * 4];
        (args[0], args[1]) = (expected.Seq, expected.Hash);
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            args[2 + i * 4] = e.StationId;
            args[3 + i * 4] = JsonSerializer.Serialize(e, Json);
            args[4 + i * 4] = e.Seq;
            args[5 + i * 4] = e.Hash;
        }
        var db = await DatabaseAsync();
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(AppendScript, [_headKey, _entriesKey, _stationPrefix], args))!;
        if ((int)result[0] != 1)
            return new LedgerHead(long.Parse((string)result[1]!, CultureInfo.InvariantCulture), (string)result[2]!);
        if (options.RedisWaitReplicas > 0) await db.ExecuteAsync("WAIT", options.RedisWaitReplicas, 5000);
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null) await _redis.DisposeAsync();
        _openLock.Dispose();
    }

    private async ValueTask<IDatabase> DatabaseAsync()
    {
        if (_redis is { } open) return open.GetDatabase();
        await _openLock.WaitAsync();
        try
        {
            if (_redis is null)
            {
                var redis = await ConnectionMultiplexer.ConnectAsync(configuration);
                await CheckDurabilityAsync(redis);
                _redis = redis;
            }
            return _redis.GetDatabase();
        }
        finally
        {
            _openLock.Release();
        }
    }

    private async Task CheckDurabilityAsync(ConnectionMultiplexer redis)
    {
        try
        {
            var server = redis.GetServer(redis.GetEndPoints()[0]);
            var config = (await server.ConfigGetAsync("append*")).ToDictionary(kv => kv.Key, kv => kv.Value);
            if (config.GetValueOrDefault("appendonly") != "yes" || config.GetValueOrDefault("appendfsync") != "always")
                LogNotDurable(config.GetValueOrDefault("appendonly") ?? "?", config.GetValueOrDefault("appendfsync") ?? "?");
        }
        catch (Exception e) when (e is RedisException or RedisCommandException)
        {
            // CONFIG needs allowAdmin=true in the connection string; without it the check is skipped.
            LogConfigUnreadable(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis runs with appendonly={AppendOnly} appendfsync={AppendFsync}: acknowledged ledger appends are NOT durable; set appendonly yes, appendfsync always")]
    private partial void LogNotDurable(string appendOnly, string appendFsync);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the Redis AOF settings; make sure appendonly yes and appendfsync always are set")]
    private partial void LogConfigUnreadable(Exception exception);
}
