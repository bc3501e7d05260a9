using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Ingest.Stations;

/// <summary>
/// api.md section 2 "Station device API": <c>Authorization: ECDSA-P256 KeyId=..,Timestamp=..,Signature=..</c> over
/// StringToSign = METHOD \n PATH \n Timestamp \n hex(SHA-256(body)), IEEE P1363 (r||s, 64 bytes).
/// </summary>
public static class StationRequestSigning
{
    public const string Scheme = "ECDSA-P256";
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(300);

    public static string BodyHash(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    public static string StringToSign(string method, string path, long timestamp, string bodyHash) =>
        $"{method}\n{path}\n{timestamp.ToString(CultureInfo.InvariantCulture)}\n{bodyHash}";

    public static string Sign(ECDsa key, string method, string path, long timestamp, ReadOnlySpan<byte> body)
    {
        var data = Encoding.UTF8.GetBytes(StringToSign(method, path, timestamp, BodyHash(body)));
        return Convert.ToBase64String(key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    public static string AuthorizationHeader(string keyId, long timestamp, string signature) =>
        $"{Scheme} KeyId={keyId},Timestamp={timestamp.ToString(CultureInfo.InvariantCulture)},Signature={signature}";

    public static bool Verify(byte[] subjectPublicKeyInfo, string method, string path, long timestamp, string bodyHash, byte[] signature)
    {
        if (signature.Length != 64) return false;
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        return Verify(key, method, path, timestamp, bodyHash, signature);
    }

    /// <summary>Verifies with an already imported key (importing validates the point, which costs about as much as a verify).</summary>
    public static bool Verify(ECDsa key, string method, string path, long timestamp, string bodyHash, byte[] signature)
    {
        if (signature.Length != 64) return false;
        var data = Encoding.UTF8.GetBytes(StringToSign(method, path, timestamp, bodyHash));
        return key.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    /// <summary>Parses the header; null if it is not of the scheme or misses a part.</summary>
    public static (string KeyId, long Timestamp, byte[] Signature, string SignatureText)? Parse(string? header)
    {
        if (string.IsNullOrEmpty(header) || !header.StartsWith(Scheme + " ", StringComparison.Ordinal)) return null;
        string? keyId = null, timestamp = null, signature = null;
        foreach (var part in header[(Scheme.Length + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) return null;
            var (name, value) = (part[..eq], part[(eq + 1)..]);
            switch (name)
            {
                case "KeyId": keyId = value; break;
                case "Timestamp": timestamp = value; break;
                case "Signature": signature = value; break;
            }
        }
        if (string.IsNullOrEmpty(keyId) || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var ts) || string.IsNullOrEmpty(signature))
            return null;
        try
        {
            return (keyId, ts, Convert.FromBase64String(signature), signature);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
