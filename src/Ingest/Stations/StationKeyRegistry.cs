using System.Collections.Immutable;
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
    private ImmutableDictionary<string, StationPublicKey> _byKeyId = catalog.Keys.ToImmutableDictionary(k => k.KeyId, StringComparer.Ordinal);

    public IReadOnlyList<StationPublicKey> All => [.. Volatile.Read(ref _byKeyId).Values.OrderBy(k => k.StationId, StringComparer.Ordinal).ThenBy(k => k.ValidFrom)];

    public StationPublicKey? Find(string keyId) => Volatile.Read(ref _byKeyId).GetValueOrDefault(keyId);

    /// <summary>Adds a key or replaces the key with the same id (a revocation is the same key with ValidUntil set).</summary>
    public void Apply(StationPublicKey key) => ImmutableInterlocked.Update(ref _byKeyId, keys => keys.SetItem(key.KeyId, key));
}
