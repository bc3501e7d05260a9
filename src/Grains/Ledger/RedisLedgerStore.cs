using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Portal.Grains.Ledger;

/// <summary>
/// The cluster ledger in Redis. Run Redis with <c>appendonly yes</c> and <c>appendfsync always</c>: Redis then fsyncs
/// the AOF before it replies, so an acknowledged append is durable (docs/ledger.md). Each silo batches its appends
/// (group commit) and appends a batch with one Lua script that checks the chain head it computed against (compare
/// and append), so several silos can share one chain; a silo that lost the race re-reads the head and recomputes.
/// </summary>
public sealed partial class RedisLedgerStore : ILedgerStore, IAsyncDisposable
{
    // KEYS[1] head hash, KEYS[2] entries list; ARGV[1] expected seq, ARGV[2] expected hash, then (station, entryJson, seq, hash) per entry.
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
    private readonly string _configuration;
    private readonly LedgerOptions _options;
    private readonly ILogger<RedisLedgerStore> _logger;
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(65_536) { SingleReader = true });
    private readonly SemaphoreSlim _openLock = new(1, 1);
    private readonly RedisKey _headKey, _entriesKey;
    private readonly string _stationPrefix;
    private ConnectionMultiplexer? _redis;
    private Task? _writerLoop;
    private LedgerHead _head = new(0, LedgerHash.Genesis);

    public RedisLedgerStore(string configuration, LedgerOptions options, ILogger<RedisLedgerStore> logger)
    {
        _configuration = configuration;
        _options = options;
        _logger = logger;
        _headKey = $"{options.RedisPrefix}:head";
        _entriesKey = $"{options.RedisPrefix}:entries";
        _stationPrefix = $"{options.RedisPrefix}:station:";
    }

    public async Task<LedgerEntry> AppendAsync(LedgerAppend append, CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync();
        var pending = new Pending(append, new TaskCompletionSource<LedgerEntry>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Completion.Task;
    }

    public async Task<LedgerHead> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync();
        return await ReadHeadAsync();
    }

    public async Task<IReadOnlyList<LedgerEntry>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync();
        if (limit <= 0) return [];
        var values = await _redis!.GetDatabase().ListRangeAsync(_entriesKey, afterSeq, afterSeq + limit - 1);
        return [.. values.Select(v => JsonSerializer.Deserialize<LedgerEntry>((string)v!, Json)!)];
    }

    public async Task<IReadOnlyList<LedgerEntry>> ReadStationsAsync(IReadOnlyCollection<string> stationIds, CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync();
        var db = _redis!.GetDatabase();
        var seqLists = await Task.WhenAll(stationIds.Select(id => db.ListRangeAsync(_stationPrefix + id)));
        var gets = seqLists.SelectMany(list => list).Select(seq => db.ListGetByIndexAsync(_entriesKey, (long)seq - 1)).ToList();
        var entries = (await Task.WhenAll(gets)).Select(v => JsonSerializer.Deserialize<LedgerEntry>((string)v!, Json)!).ToList();
        entries.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return entries;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writerLoop is not null) await _writerLoop;
        if (_redis is not null) await _redis.DisposeAsync();
    }

    private async Task EnsureOpenAsync()
    {
        if (_writerLoop is not null) return;
        await _openLock.WaitAsync();
        try
        {
            if (_writerLoop is not null) return;
            _redis = await ConnectionMultiplexer.ConnectAsync(_configuration);
            await CheckDurabilityAsync();
            _head = await ReadHeadAsync();
            _writerLoop = Task.Run(WriteLoopAsync);
        }
        finally
        {
            _openLock.Release();
        }
    }

    private async Task CheckDurabilityAsync()
    {
        try
        {
            var server = _redis!.GetServer(_redis.GetEndPoints()[0]);
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

    private async Task<LedgerHead> ReadHeadAsync()
    {
        var values = await _redis!.GetDatabase().HashGetAsync(_headKey, ["seq", "hash"]);
        return values[0].IsNull ? new LedgerHead(0, LedgerHash.Genesis) : new LedgerHead((long)values[0], (string)values[1]!);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>();
        var reader = _queue.Reader;
        var maxBatch = _options.GroupCommit ? Math.Max(1, _options.MaxBatch) : 1;
        var db = _redis!.GetDatabase();
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < maxBatch && reader.TryRead(out var item)) batch.Add(item);
            if (batch.Count == 0) continue;
            try
            {
                for (var attempt = 0; ; attempt++)
                {
                    var head = _head;
                    var entries = new LedgerEntry[batch.Count];
                    var args = new List<RedisValue>(2 + batch.Count * 4) { head.Seq, head.Hash };
                    for (var i = 0; i < batch.Count; i++)
                    {
                        entries[i] = LedgerEntry.Create(head.Seq + 1, head.Hash, batch[i].Append);
                        head = new LedgerHead(entries[i].Seq, entries[i].Hash);
                        args.AddRange([entries[i].StationId, JsonSerializer.Serialize(entries[i], Json), entries[i].Seq, entries[i].Hash]);
                    }
                    var result = (RedisResult[])(await db.ScriptEvaluateAsync(AppendScript, [_headKey, _entriesKey, _stationPrefix], [.. args]))!;
                    if ((int)result[0] == 1)
                    {
                        if (_options.RedisWaitReplicas > 0)
                            await db.ExecuteAsync("WAIT", _options.RedisWaitReplicas, 5000);
                        _head = head;
                        for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(entries[i]);
                        break;
                    }
                    // Another silo appended first: continue from its head.
                    _head = new LedgerHead(long.Parse((string)result[1]!, System.Globalization.CultureInfo.InvariantCulture), (string)result[2]!);
                    if (attempt > 1000) throw new InvalidOperationException("ledger append lost the race 1000 times");
                }
            }
            catch (Exception e)
            {
                LogBatchFailed(e, batch.Count);
                foreach (var pending in batch) pending.Completion.TrySetException(e);
                _head = await ReadHeadAsync();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis runs with appendonly={AppendOnly} appendfsync={AppendFsync}: acknowledged ledger appends are NOT durable; set appendonly yes, appendfsync always")]
    private partial void LogNotDurable(string appendOnly, string appendFsync);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the Redis AOF settings; make sure appendonly yes and appendfsync always are set")]
    private partial void LogConfigUnreadable(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ledger batch of {Count} entries failed; none acknowledged")]
    private partial void LogBatchFailed(Exception exception, int count);

    private sealed record Pending(LedgerAppend Append, TaskCompletionSource<LedgerEntry> Completion);
}
