using Portal.Grains.Model;

namespace Portal.Ingest.Stations;

/// <summary>The stations' public keys by key id (from <see cref="ElectionCatalog.Keys"/>). The portal holds no private key.</summary>
public sealed class StationKeyRegistry(ElectionCatalog catalog)
{
    private readonly Dictionary<string, StationPublicKey> _byKeyId = catalog.Keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);

    public IReadOnlyList<StationPublicKey> All => catalog.Keys;

    public StationPublicKey? Find(string keyId) => _byKeyId.GetValueOrDefault(keyId);
}
