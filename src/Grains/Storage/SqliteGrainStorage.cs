using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace Portal.Grains.Storage;

/// <summary>
/// Grain state in a local SQLite file (WAL, synchronous FULL): for state that is not derived from the ledger and must
/// survive a restart of an embedded portal (volunteer counts). A cluster uses Redis grain storage instead. The ETag is a
/// version number, so a write from a stale activation fails instead of losing another's.
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage
{
    private readonly string _connectionString;
    private readonly IGrainStorageSerializer _serializer;
    private readonly SemaphoreSlim _init = new(1, 1);
    private bool _ready;

    public SqliteGrainStorage(string path, IGrainStorageSerializer serializer)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, Mode = SqliteOpenMode.ReadWriteCreate }.ToString();
        _serializer = serializer;
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, data FROM grain_state WHERE id = $id";
        command.Parameters.AddWithValue("$id", Key(stateName, grainId));
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        grainState.ETag = reader.GetInt64(0).ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.State = _serializer.Deserialize<T>(new BinaryData((byte[])reader.GetValue(1)));
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = _serializer.Serialize(grainState.State).ToArray();
        var expected = grainState.ETag is null ? 0 : long.Parse(grainState.ETag, System.Globalization.CultureInfo.InvariantCulture);
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = expected == 0
            ? "INSERT INTO grain_state (id, etag, data) VALUES ($id, 1, $data) ON CONFLICT(id) DO NOTHING"
            : "UPDATE grain_state SET etag = etag + 1, data = $data WHERE id = $id AND etag = $etag";
        command.Parameters.AddWithValue("$id", Key(stateName, grainId));
        command.Parameters.AddWithValue("$data", data);
        command.Parameters.AddWithValue("$etag", expected);
        if (await command.ExecuteNonQueryAsync() != 1)
            throw new InconsistentStateException($"{stateName} of {grainId} was written by someone else", grainState.ETag ?? "", expected.ToString(System.Globalization.CultureInfo.InvariantCulture));
        grainState.ETag = (expected + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM grain_state WHERE id = $id";
        command.Parameters.AddWithValue("$id", Key(stateName, grainId));
        await command.ExecuteNonQueryAsync();
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    private static string Key(string stateName, GrainId grainId) => $"{stateName}/{grainId}";

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA synchronous = FULL;";
            await pragma.ExecuteNonQueryAsync();
        }
        if (_ready) return connection;
        await _init.WaitAsync();
        try
        {
            if (!_ready)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE IF NOT EXISTS grain_state (id TEXT PRIMARY KEY, etag INTEGER NOT NULL, data BLOB NOT NULL);";
                await command.ExecuteNonQueryAsync();
                _ready = true;
            }
        }
        finally { _init.Release(); }
        return connection;
    }
}
