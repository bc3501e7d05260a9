using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Portal.Grains.Model;
using Portal.Grains.Results;
using Portal.Ingest.Ledger;
using Portal.Ingest.Stations;

namespace Portal.Ops;

/// <summary>A key the portal generated for provisioning a device: the private half is shown once and never stored.</summary>
public sealed record ProvisionedKey(StationPublicKey PublicKey, string PrivateKeyPkcs8Base64);

/// <summary>
/// Registers, rotates and revokes station device keys. Every change is a ledger entry (kind <see cref="LedgerKinds.StationKey"/>,
/// written and applied by the <see cref="StationKeyLedgerWriter"/>):
/// durable, public, replayed at start, and applied to the <see cref="StationKeyRegistry"/> the station API checks, so a
/// revoked key is refused (401) from the moment this returns. Revoked keys stay listed with their validity period.
/// </summary>
public sealed partial class StationKeyAdmin(
    StationKeyLedgerWriter writer, OpsLedgerView view, StationKeyRegistry registry, ElectionCatalog catalog, TimeProvider time, ILogger<StationKeyAdmin> logger)
{
    /// <summary>Registers a device's public key (SubjectPublicKeyInfo, base64, ECDSA P-256).</summary>
    public async Task<StationPublicKey> RegisterAsync(string stationId, string publicKeyBase64, string? keyId, string by)
    {
        var station = RequireStation(stationId);
        var spki = ParsePublicKey(publicKeyBase64) ?? throw Invalid("publicKey", "invalid", "not a base64 ECDSA P-256 SubjectPublicKeyInfo");
        var id = string.IsNullOrWhiteSpace(keyId) ? NewKeyId(station.Id) : keyId.Trim();
        if (!KeyIdPattern().IsMatch(id)) throw Invalid("keyId", "invalid", "letters, digits, . _ - only, at most 64 characters");
        if (registry.Find(id) is not null) throw Invalid("keyId", "exists", $"key id \"{id}\" is taken (key ids are never reused)");
        var key = new StationPublicKey(station.Id, id, spki, time.GetUtcNow(), null);
        await AppendAsync(StationKeyPayload.Register, key);
        LogChanged(StationKeyPayload.Register, station.Id, id, by);
        return key;
    }

    /// <summary>Registers a new key (given, or generated for provisioning) and ends every other valid key of the station now.</summary>
    public async Task<(StationPublicKey Key, string? PrivateKeyPkcs8Base64)> RotateAsync(string stationId, string? publicKeyBase64, string by)
    {
        var station = RequireStation(stationId);
        string? privateKey = null;
        if (string.IsNullOrWhiteSpace(publicKeyBase64))
        {
            using var pair = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            publicKeyBase64 = Convert.ToBase64String(pair.ExportSubjectPublicKeyInfo());
            privateKey = Convert.ToBase64String(pair.ExportPkcs8PrivateKey());
        }
        var key = await RegisterAsync(station.Id, publicKeyBase64, null, by);
        foreach (var old in registry.All.Where(k => k.StationId == station.Id && k.KeyId != key.KeyId && IsValid(k)))
            await RevokeAsync(old.KeyId, by);
        return (key, privateKey);
    }

    /// <summary>Ends a key's validity now; the station API refuses it from this moment.</summary>
    public async Task<StationPublicKey> RevokeAsync(string keyId, string by)
    {
        var key = registry.Find(keyId?.Trim() ?? "") ?? throw Invalid("keyId", "unknown", $"no key \"{keyId}\"");
        if (!IsValid(key)) throw Invalid("keyId", "revoked", $"key \"{key.KeyId}\" is already not valid");
        var revoked = key with { ValidUntil = time.GetUtcNow() };
        await AppendAsync(StationKeyPayload.Revoke, revoked);
        LogChanged(StationKeyPayload.Revoke, key.StationId, key.KeyId, by);
        return revoked;
    }

    public bool IsValid(StationPublicKey key)
    {
        var now = time.GetUtcNow();
        return (key.ValidFrom is null || key.ValidFrom <= now) && (key.ValidUntil is null || key.ValidUntil > now);
    }

    private async Task AppendAsync(string action, StationPublicKey key)
    {
        // The writer applies it on this node at once; other nodes apply it from the ledger within a second.
        await writer.AppendAsync(action, key);
        await view.CatchUpAsync();
    }

    private StationDefinition RequireStation(string stationId) =>
        catalog.FindStation(stationId?.Trim() ?? "") ?? throw Invalid("stationId", "unknown", $"no station \"{stationId}\"");

    private string NewKeyId(string stationId) =>
        $"{stationId}-{time.GetUtcNow():yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";

    private static byte[]? ParsePublicKey(string? base64)
    {
        try
        {
            var bytes = Convert.FromBase64String(base64?.Trim() ?? "");
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(bytes, out var read);
            return read == bytes.Length && key.KeySize == 256 && key.ExportParameters(false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value ? bytes : null;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }

    private static OpsValidationException Invalid(string field, string code, string message) => new([new FieldError(field, code, message)]);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyIdPattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Station key {Action}: station {StationId} key {KeyId} by {OpsUser}.")]
    private partial void LogChanged(string action, string stationId, string keyId, string opsUser);
}
