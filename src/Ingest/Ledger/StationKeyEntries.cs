using System.Globalization;
using System.Text.Json;
using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.Ingest.Stations;

namespace Portal.Ingest.Ledger;

/// <summary>The canonical JSON of a station-key entry (kind <see cref="LedgerKinds.StationKey"/>): what changed and the key as it is now.</summary>
public static class StationKeyPayload
{
    public const string Register = "register";
    public const string Revoke = "revoke";

    public static string Write(string action, StationPublicKey key)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("action", action);
            w.WriteString("stationId", key.StationId);
            w.WriteString("keyId", key.KeyId);
            w.WriteString("publicKey", key.PublicKeyBase64);
            if (key.ValidFrom is { } from) w.WriteString("validFrom", Format(from)); else w.WriteNull("validFrom");
            if (key.ValidUntil is { } until) w.WriteString("validUntil", Format(until)); else w.WriteNull("validUntil");
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    public static StationPublicKey Parse(string payload)
    {
        using var doc = JsonDocument.Parse(payload);
        var r = doc.RootElement;
        DateTimeOffset? Time(string name) => r.GetProperty(name).ValueKind == JsonValueKind.Null ? null : r.GetProperty(name).GetDateTimeOffset();
        return new StationPublicKey(r.GetProperty("stationId").GetString()!, r.GetProperty("keyId").GetString()!,
            Convert.FromBase64String(r.GetProperty("publicKey").GetString()!), Time("validFrom"), Time("validUntil"));
    }

    private static string Format(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>
/// Appends a station-key change to the ledger and applies it to this node's <see cref="StationKeyRegistry"/> at once, so
/// the station API refuses a revoked key from the moment the append returns (other nodes apply it from the ledger).
/// </summary>
public sealed class StationKeyLedgerWriter(ILedgerStore ledger, StationKeyRegistry registry, TimeProvider time)
{
    public async Task<LedgerEntry> AppendAsync(string action, StationPublicKey key, CancellationToken cancellationToken = default)
    {
        var entry = await ledger.AppendAsync(new LedgerAppend(LedgerKinds.StationKey, key.StationId, StationKeyPayload.Write(action, key),
            time.GetUtcNow(), null), cancellationToken);
        registry.Apply(key);
        return entry;
    }
}
