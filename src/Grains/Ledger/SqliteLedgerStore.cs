using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Portal.Grains.Ledger;

/// <summary>
/// The embedded ledger: SQLite in WAL mode with synchronous=FULL, so a committed transaction is fsynced.
/// One writer task drains a queue and commits everything waiting in one transaction (group commit):
/// one fsync per entry caps intake at the disk's fsync rate, one per batch does not.
/// </summary>
public sealed partial class SqliteLedgerStore : ILedgerStore, IAsyncDisposable
{
    private const int ReadChunk = 400;
    private readonly string _connectionString;
    private readonly int _maxBatch;
    private readonly ILogger<SqliteLedgerStore> _logger;
    // Lock-free hand-off to the writer thread (a channel takes a lock per item on both sides, and the writer reads
    // hundreds per batch while thousands of appenders write). Its length is bounded by the callers: each station
    // grain has at most one append in flight and the intake caps requests in flight (429 beyond Intake:MaxInFlight).
    private readonly ConcurrentQueue<Pending> _queue = new();
    private volatile bool _closed;
    private int _writerSleeping;
    private readonly SemaphoreSlim _openLock = new(1, 1);
    // Wakes the writer thread. No spinning (spinCount 0): a spinning wait burns one of the machine's few cores
    // every time the writer waits for the next batch.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    // Stations with at least one entry: this process is the file's only writer, so the set (loaded at open, extended
    // after each commit) tells a station grain activating for the first time that it has nothing to read.
    private readonly ConcurrentDictionary<string, byte> _stationsWithEntries = new(StringComparer.Ordinal);
    private SqliteConnection? _writer;
    private Task? _writerLoop;
    private volatile LedgerHead _head = new(0, LedgerHash.Genesis);

    public SqliteLedgerStore(string path, bool groupCommit, int maxBatch, ILogger<SqliteLedgerStore> logger)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
        _maxBatch = groupCommit ? Math.Max(1, maxBatch) : 1;
        _logger = logger;
        Path = path;
    }

    public string Path { get; }

    public async Task<LedgerEntry> AppendAsync(LedgerAppend append, CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync(cancellationToken);
        var pending = new Pending(append, new TaskCompletionSource<LedgerEntry>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(_closed, this);
        _queue.Enqueue(pending);
        // Only the first append after the writer went to sleep wakes it (one Set, not thousands contending on its lock).
        if (Interlocked.CompareExchange(ref _writerSleeping, 0, 1) == 1) _wake.Set();
        return await pending.Completion.Task;
    }

    public async Task<LedgerHead> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync(cancellationToken);
        return _head;
    }

    public async Task<IReadOnlyList<LedgerEntry>> ReadAsync(long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync(cancellationToken);
        await using var connection = await OpenReaderAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"{SelectColumns} WHERE seq > $after ORDER BY seq LIMIT $limit";
        command.Parameters.AddWithValue("$after", afterSeq);
        command.Parameters.AddWithValue("$limit", Math.Max(0, limit));
        return await ReadEntriesAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<LedgerEntry>> ReadStationsAsync(IReadOnlyCollection<string> stationIds, CancellationToken cancellationToken = default)
    {
        await EnsureOpenAsync(cancellationToken);
        var result = new List<LedgerEntry>();
        var withEntries = stationIds.Where(_stationsWithEntries.ContainsKey).ToList();
        if (withEntries.Count == 0) return result;
        await using var connection = await OpenReaderAsync(cancellationToken);
        foreach (var chunk in withEntries.Chunk(ReadChunk))
        {
            await using var command = connection.CreateCommand();
            var names = chunk.Select((id, i) => { command.Parameters.AddWithValue($"$s{i}", id); return $"$s{i}"; });
            command.CommandText = $"{SelectColumns} WHERE station_id IN ({string.Join(',', names)})";
            result.AddRange(await ReadEntriesAsync(command, cancellationToken));
        }
        result.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        _wake.Set();
        if (_writerLoop is not null) await _writerLoop;
        // An append that raced with closing: never written, so never acknowledged.
        while (_queue.TryDequeue(out var late)) late.Completion.TrySetException(new ObjectDisposedException(nameof(SqliteLedgerStore)));
        if (_writer is not null) await _writer.DisposeAsync();
        _openLock.Dispose();
        _wake.Dispose();
    }

    private const string SelectColumns =
        "SELECT seq, prev_hash, hash, kind, station_id, payload, received_at, key_id, req_ts, method, path, body_hash, signature, body FROM ledger";

    private async Task EnsureOpenAsync(CancellationToken cancellationToken)
    {
        if (_writerLoop is not null) return;
        await _openLock.WaitAsync(cancellationToken);
        try
        {
            if (_writerLoop is not null) return;
            var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, "PRAGMA journal_mode=WAL;", cancellationToken);
            await ExecuteAsync(connection, "PRAGMA synchronous=FULL;", cancellationToken);
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS ledger (
                    seq INTEGER PRIMARY KEY, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, kind TEXT NOT NULL,
                    station_id TEXT NOT NULL, payload TEXT NOT NULL, received_at TEXT NOT NULL,
                    key_id TEXT, req_ts INTEGER, method TEXT, path TEXT, body_hash TEXT, signature TEXT, body TEXT);
                CREATE INDEX IF NOT EXISTS ledger_station ON ledger (station_id, seq);
                """, cancellationToken);
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken)) _head = new LedgerHead(reader.GetInt64(0), reader.GetString(1));
            }
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "SELECT DISTINCT station_id FROM ledger";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) _stationsWithEntries.TryAdd(reader.GetString(0), 0);
            }
            _writer = connection;
            LogOpened(Path, _head.Seq, _maxBatch > 1);
            // A dedicated thread: Microsoft.Data.Sqlite's async methods run synchronously, and a commit blocks on fsync;
            // on the thread pool that would starve the Orleans scheduler and Kestrel of their few threads.
            _writerLoop = Task.Factory.StartNew(WriteLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        finally
        {
            _openLock.Release();
        }
    }

    private void WriteLoop()
    {
        var batch = new List<Pending>(_maxBatch);
        while (true)
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.TryDequeue(out var item)) batch.Add(item);
            if (batch.Count == 0)
            {
                if (_closed) return;
                // Announce the sleep, then look again: an append either is seen here or sees the flag and wakes us.
                _wake.Reset();
                Interlocked.Exchange(ref _writerSleeping, 1);
                if (_queue.IsEmpty && !_closed) _wake.Wait(TimeSpan.FromSeconds(1));
                Interlocked.Exchange(ref _writerSleeping, 0);
                continue;
            }
            var entries = new LedgerEntry[batch.Count];
            try
            {
                using var transaction = _writer!.BeginTransaction();
                using var command = _writer.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT INTO ledger (seq, prev_hash, hash, kind, station_id, payload, received_at, key_id, req_ts, method, path, body_hash, signature, body)
                    VALUES ($seq, $prev, $hash, $kind, $station, $payload, $received, $key, $ts, $method, $path, $bodyHash, $signature, $body)
                    """;
                var p = new[] { "$seq", "$prev", "$hash", "$kind", "$station", "$payload", "$received", "$key", "$ts", "$method", "$path", "$bodyHash", "$signature", "$body" }
                    .Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
                command.Prepare();
                var head = _head;
                for (var i = 0; i < batch.Count; i++)
                {
                    var entry = LedgerEntry.Create(head.Seq + 1, head.Hash, batch[i].Append);
                    var r = entry.Request;
                    object?[] values = [entry.Seq, entry.PrevHash, entry.Hash, entry.Kind, entry.StationId, entry.Payload, LedgerHash.FormatTime(entry.ReceivedAt),
                        r?.KeyId, r?.Timestamp, r?.Method, r?.Path, r?.BodyHash, r?.Signature, r?.Body];
                    for (var j = 0; j < values.Length; j++) p[j].Value = values[j] ?? DBNull.Value;
                    command.ExecuteNonQuery();
                    entries[i] = entry;
                    head = new LedgerHead(entry.Seq, entry.Hash);
                }
                // synchronous=FULL in WAL mode: the commit returns after the WAL is fsynced.
                transaction.Commit();
                foreach (var pending in batch) _stationsWithEntries.TryAdd(pending.Append.StationId, 0);
                _head = head;
            }
            catch (Exception e)
            {
                LogBatchFailed(e, batch.Count);
                foreach (var pending in batch) pending.Completion.TrySetException(e);
                continue;
            }
            for (var i = 0; i < batch.Count; i++) batch[i].Completion.TrySetResult(entries[i]);
        }
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var list = new List<LedgerEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            SignedRequest? request = reader.IsDBNull(7) ? null : new SignedRequest(
                reader.GetString(7), reader.GetInt64(8), reader.GetString(9), reader.GetString(10), reader.GetString(11), reader.GetString(12), reader.GetString(13));
            list.Add(new LedgerEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                DateTimeOffset.ParseExact(reader.GetString(6), "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                request));
        }
        return list;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger {Path} opened at sequence {Seq}; group commit {GroupCommit}")]
    private partial void LogOpened(string path, long seq, bool groupCommit);

    [LoggerMessage(Level = LogLevel.Error, Message = "Ledger batch of {Count} entries failed; none acknowledged")]
    private partial void LogBatchFailed(Exception exception, int count);

    private sealed record Pending(LedgerAppend Append, TaskCompletionSource<LedgerEntry> Completion);
}
