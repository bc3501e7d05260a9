using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Grains.Ledger;

/// <summary>Entry kinds of the ledger.</summary>
public static class LedgerKinds
{
    public const string Turnout = "turnout";
    public const string Protocol = "protocol";
    public const string Invalidation = "invalidation";
    public const string Decision = "decision";
    public const string StationKey = "station-key";
    public const string CameraState = "camera-state";
}

/// <summary>
/// The evidence of a signed station request, kept so anyone can verify it against the published key:
/// StringToSign = Method \n Path \n Timestamp \n BodyHash; the body itself (base64) lets a verifier recompute BodyHash.
/// </summary>
[GenerateSerializer, Immutable, Alias("portal.SignedRequest")]
public sealed record SignedRequest(
    [property: Id(0)] string KeyId,
    [property: Id(1)] long Timestamp,
    [property: Id(2)] string Method,
    [property: Id(3)] string Path,
    [property: Id(4)] string BodyHash,
    [property: Id(5)] string Signature,
    [property: Id(6)] string Body);

/// <summary>What a caller asks the store to append; the store assigns sequence, previous hash and hash.</summary>
[GenerateSerializer, Immutable, Alias("portal.LedgerAppend")]
public sealed record LedgerAppend(
    [property: Id(0)] string Kind,
    [property: Id(1)] string StationId,
    [property: Id(2)] string Payload,
    [property: Id(3)] DateTimeOffset ReceivedAt,
    [property: Id(4)] SignedRequest? Request);

/// <summary>One entry of the append-only, hash-chained ledger (docs/ledger.md).</summary>
[GenerateSerializer, Immutable, Alias("portal.LedgerEntry")]
public sealed record LedgerEntry(
    [property: Id(0)] long Seq,
    [property: Id(1)] string PrevHash,
    [property: Id(2)] string Hash,
    [property: Id(3)] string Kind,
    [property: Id(4)] string StationId,
    [property: Id(5)] string Payload,
    [property: Id(6)] DateTimeOffset ReceivedAt,
    [property: Id(7)] SignedRequest? Request)
{
    public static LedgerEntry Create(long seq, string prevHash, LedgerAppend append)
    {
        var receivedAt = append.ReceivedAt.ToUniversalTime();
        var hash = LedgerHash.Compute(seq, prevHash, append.Kind, append.StationId, append.Payload, receivedAt, append.Request);
        return new LedgerEntry(seq, prevHash, hash, append.Kind, append.StationId, append.Payload, receivedAt, append.Request);
    }

    public string ComputeHash() => LedgerHash.Compute(Seq, PrevHash, Kind, StationId, Payload, ReceivedAt, Request);
}

/// <summary>
/// Where consecutive appends landed: the first one's sequence and previous hash, and each one's hash. With the appends
/// themselves that is the entries (<see cref="Entries"/>), so the cluster's ledger writer answers a node with these alone.
/// </summary>
[GenerateSerializer, Immutable, Alias("portal.LedgerStamps")]
public sealed record LedgerStamps(
    [property: Id(0)] long FirstSeq,
    [property: Id(1)] string PrevHash,
    [property: Id(2)] string[] Hashes)
{
    public static LedgerStamps Of(IReadOnlyList<LedgerEntry> entries) =>
        entries.Count == 0 ? new LedgerStamps(0, "", []) : new LedgerStamps(entries[0].Seq, entries[0].PrevHash, [.. entries.Select(e => e.Hash)]);

    /// <summary>The entries of <paramref name="appends"/> (the ones these stamps answer), as <see cref="LedgerEntry.Create"/> made them.</summary>
    public LedgerEntry[] Entries(IReadOnlyList<LedgerAppend> appends)
    {
        if (appends.Count != Hashes.Length) throw new InvalidOperationException($"{Hashes.Length} stamps for {appends.Count} appends");
        var entries = new LedgerEntry[appends.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var a = appends[i];
            entries[i] = new LedgerEntry(FirstSeq + i, i == 0 ? PrevHash : Hashes[i - 1], Hashes[i], a.Kind, a.StationId, a.Payload, a.ReceivedAt.ToUniversalTime(), a.Request);
        }
        return entries;
    }
}

[GenerateSerializer, Immutable, Alias("portal.LedgerHead")]
public sealed record LedgerHead([property: Id(0)] long Seq, [property: Id(1)] string Hash);

/// <summary>The canonical form the chain hashes (documented in docs/ledger.md; change it only with a new version tag).</summary>
public static class LedgerHash
{
    public const string Version = "portal-ledger-v1";
    public static readonly string Genesis = new('0', 64);

    public static string Compute(long seq, string prevHash, string kind, string stationId, string payload, DateTimeOffset receivedAt, SignedRequest? request) =>
        Sha256Hex(CanonicalForm(seq, prevHash, kind, stationId, payload, receivedAt, request));

    public static string CanonicalForm(long seq, string prevHash, string kind, string stationId, string payload, DateTimeOffset receivedAt, SignedRequest? request)
    {
        var sb = new StringBuilder(256 + payload.Length + (request?.Body.Length ?? 0));
        void Line(string value) => sb.Append(value).Append('\n');
        Line(Version);
        Line(seq.ToString(CultureInfo.InvariantCulture));
        Line(prevHash);
        Line(kind);
        Line(stationId);
        Line(FormatTime(receivedAt));
        Line(request?.KeyId ?? "");
        Line(request is null ? "" : request.Timestamp.ToString(CultureInfo.InvariantCulture));
        Line(request?.Method ?? "");
        Line(request?.Path ?? "");
        Line(request?.BodyHash ?? "");
        Line(request?.Signature ?? "");
        Line(request?.Body ?? "");
        sb.Append(payload);
        return sb.ToString();
    }

    /// <summary>UTC, 7 fractional digits, "Z": one spelling per instant.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string Sha256Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
