using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Portal.Grains.Model;

namespace Portal.Ingest.Stations;

/// <summary>
/// The stations' public keys by key id: those of <see cref="ElectionCatalog.Keys"/> plus the admin's registrations,
/// rotations and revocations (ledger entries applied through <see cref="Apply"/>). The portal holds no private key.
/// A revoked key keeps its entry with <see cref="StationPublicKey.ValidUntil"/> set, so old ledger entries still verify.
/// </summary>
public sealed class StationKeyRegistry(ElectionCatalog catalog)
{
    // Swapped whole on a change: lookups on the intake path never lock.
    private readonly ConcurrentDictionary<string, CachedVerifier> _verifiers = new(StringComparer.Ordinal);
    private ImmutableDictionary<string, StationPublicKey> _byKeyId = catalog.Keys.ToImmutableDictionary(k => k.KeyId, StringComparer.Ordinal);

    public IReadOnlyList<StationPublicKey> All => [.. Volatile.Read(ref _byKeyId).Values.OrderBy(k => k.StationId, StringComparer.Ordinal).ThenBy(k => k.ValidFrom)];

    public StationPublicKey? Find(string keyId) => Volatile.Read(ref _byKeyId).GetValueOrDefault(keyId);

    /// <summary>
    /// Verifies a request signature with <paramref name="key"/>, importing the public key once per key and process:
    /// the import validates the curve point, which costs about as much as the verify itself.
    /// </summary>
    public bool Verify(StationPublicKey key, string method, string path, long timestamp, string bodyHash, byte[] signature)
    {
        if (signature.Length != 64) return false;
        var cached = _verifiers.GetValueOrDefault(key.KeyId);
        if (!IsCurrent(cached, key)) _verifiers[key.KeyId] = cached = new CachedVerifier(key.SubjectPublicKeyInfo, key.CreateVerifier());
        // One verify at a time per key object: ECDsa instances are not documented as thread-safe. A station rarely
        // sends two requests at once, so this lock is practically never contended.
        lock (cached)
            return StationRequestSigning.Verify(cached.Key, method, path, timestamp, bodyHash, signature);
    }

    /// <summary>
    /// Imports every known public key that has no verifier yet (<see cref="Verify"/> would import it on the key's first
    /// request). Run once in the background at start (<see cref="StationKeyPreloader"/>): on election day each station's
    /// key is imported by its first turnout report in the morning, and after a restart this does the same before the
    /// evening's protocols arrive instead of charging the first request of each station. Returns the keys imported.
    /// </summary>
    public int Preload(CancellationToken cancellationToken)
    {
        var imported = 0;
        foreach (var key in Volatile.Read(ref _byKeyId).Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsCurrent(_verifiers.GetValueOrDefault(key.KeyId), key)) continue;
            // TryAdd: a request that imported the key meanwhile keeps its verifier.
            if (_verifiers.TryAdd(key.KeyId, new CachedVerifier(key.SubjectPublicKeyInfo, key.CreateVerifier()))) imported++;
        }
        return imported;
    }

    /// <summary>Adds a key or replaces the key with the same id (a revocation is the same key with ValidUntil set).</summary>
    public void Apply(StationPublicKey key) => ImmutableInterlocked.Update(ref _byKeyId, keys => keys.SetItem(key.KeyId, key));

    // A key re-registered under the same id with other bytes gets a fresh verifier.
    private static bool IsCurrent([NotNullWhen(true)] CachedVerifier? cached, StationPublicKey key) =>
        cached is not null && cached.SubjectPublicKeyInfo.AsSpan().SequenceEqual(key.SubjectPublicKeyInfo);

    private sealed record CachedVerifier(byte[] SubjectPublicKeyInfo, ECDsa Key);
}
