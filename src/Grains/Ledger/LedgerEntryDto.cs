namespace Portal.Grains.Ledger;

/// <summary>
/// A ledger entry as the public read API publishes it (<c>GET /api/v1/ledger</c>): every field the hash covers, times in the
/// canonical spelling (docs/ledger.md). Beside the ledger, because the portal writes it and the verifier reads it.
/// </summary>
public sealed record LedgerEntryDto(
    long Seq, string PrevHash, string Hash, string Kind, string StationId, string Payload, string ReceivedAt, SignedRequestDto? Request)
{
    public static LedgerEntryDto From(LedgerEntry e) => new(e.Seq, e.PrevHash, e.Hash, e.Kind, e.StationId, e.Payload, LedgerHash.FormatTime(e.ReceivedAt),
        e.Request is { } r ? new SignedRequestDto(r.KeyId, r.Timestamp, r.Method, r.Path, r.BodyHash, r.Signature, r.Body) : null);
}

public sealed record SignedRequestDto(string KeyId, long Timestamp, string Method, string Path, string BodyHash, string Signature, string Body);

public sealed record LedgerPageDto(IReadOnlyList<LedgerEntryDto> Entries, long HeadSeq, string HeadHash);
