using System.Security.Cryptography;
using System.Text;

namespace Portal.Grains.Model;

/// <summary>A station device's public key (ECDSA P-256, SubjectPublicKeyInfo).</summary>
public sealed record StationPublicKey(
    string StationId, string KeyId, byte[] SubjectPublicKeyInfo,
    DateTimeOffset? ValidFrom = null, DateTimeOffset? ValidUntil = null)
{
    public string PublicKeyBase64 => Convert.ToBase64String(SubjectPublicKeyInfo);

    public ECDsa CreateVerifier()
    {
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(SubjectPublicKeyInfo, out _);
        return key;
    }
}

/// <summary>A station device's private key, as kept by the demo and the simulators (never by the portal).</summary>
public sealed record StationPrivateKey(string StationId, string KeyId, byte[] Pkcs8);

/// <summary>The two key CSVs of api.md section 1 "Election definition".</summary>
public static class StationKeyFiles
{
    public const string PublicHeader = "stationId,keyId,publicKey";
    public const string PrivateHeader = "stationId,keyId,privateKey";

    /// <exception cref="DefinitionException">with every bad line, named <c>{file}:{line}.{column}</c>.</exception>
    public static IReadOnlyList<StationPublicKey> ReadPublic(string path, ISet<string>? knownStations = null)
    {
        var keys = new List<StationPublicKey>();
        var errors = new List<DefinitionError>();
        var keyIds = new HashSet<string>(StringComparer.Ordinal);
        var name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new DefinitionException([new DefinitionError(path, "file not found")]);
        var lineNo = 0;
        foreach (var line in File.ReadLines(path, Encoding.UTF8))
        {
            lineNo++;
            if (lineNo == 1)
            {
                if (!line.Trim().TrimStart('\uFEFF').StartsWith(PublicHeader, StringComparison.Ordinal))
                    errors.Add(new DefinitionError($"{name}:1", $"header must be \"{PublicHeader}\""));
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) continue;
            var cells = line.Split(',');
            var at = $"{name}:{lineNo}";
            if (cells.Length < 3) { errors.Add(new DefinitionError(at, "needs stationId,keyId,publicKey")); continue; }
            var (stationId, keyId, publicKey) = (cells[0].Trim(), cells[1].Trim(), cells[2].Trim());
            if (knownStations is not null && !knownStations.Contains(stationId))
                errors.Add(new DefinitionError($"{at}.stationId", $"unknown station \"{stationId}\""));
            if (string.IsNullOrEmpty(keyId)) errors.Add(new DefinitionError($"{at}.keyId", "is required"));
            else if (!keyIds.Add(keyId)) errors.Add(new DefinitionError($"{at}.keyId", $"duplicate key id \"{keyId}\""));
            var spki = ParseP256PublicKey(publicKey);
            if (spki is null) { errors.Add(new DefinitionError($"{at}.publicKey", "not a base64 ECDSA P-256 SubjectPublicKeyInfo")); continue; }
            DateTimeOffset? validFrom = cells.Length > 3 && DateTimeOffset.TryParse(cells[3], out var f) ? f : null;
            DateTimeOffset? validUntil = cells.Length > 4 && DateTimeOffset.TryParse(cells[4], out var u) ? u : null;
            keys.Add(new StationPublicKey(stationId, keyId, spki, validFrom, validUntil));
        }
        if (errors.Count > 0) throw new DefinitionException(errors);
        return keys;
    }

    public static IReadOnlyList<StationPrivateKey> ReadPrivate(string path)
    {
        var keys = new List<StationPrivateKey>();
        foreach (var line in File.ReadLines(path, Encoding.UTF8).Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var cells = line.Split(',');
            keys.Add(new StationPrivateKey(cells[0], cells[1], Convert.FromBase64String(cells[2])));
        }
        return keys;
    }

    public static void WritePublic(string path, IEnumerable<StationPublicKey> keys) =>
        Write(path, PublicHeader, keys.Select(k => $"{k.StationId},{k.KeyId},{k.PublicKeyBase64}"));

    public static void WritePrivate(string path, IEnumerable<StationPrivateKey> keys) =>
        Write(path, PrivateHeader, keys.Select(k => $"{k.StationId},{k.KeyId},{Convert.ToBase64String(k.Pkcs8)}"));

    private static void Write(string path, string header, IEnumerable<string> lines)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllLines(temp, lines.Prepend(header), new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }

    private static byte[]? ParseP256PublicKey(string base64)
    {
        try
        {
            var bytes = Convert.FromBase64String(base64);
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(bytes, out var read);
            if (read != bytes.Length) return null;
            return key.KeySize == 256 && key.ExportParameters(false).Curve.Oid.Value == ECCurve.NamedCurves.nistP256.Oid.Value ? bytes : null;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
