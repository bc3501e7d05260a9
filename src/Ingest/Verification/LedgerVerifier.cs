using System.Globalization;
using System.Net.Http.Json;
using Portal.Grains.Abstractions;
using Portal.Grains.Ledger;
using Portal.Grains.Results;
using Portal.Ingest.Stations;

namespace Portal.Ingest.Verification;

public sealed record LedgerVerification(bool Ok, long Entries, long? BadSeq, string? Problem)
{
    public override string ToString() => Ok ? $"OK {Entries} entries" : $"BAD entry {BadSeq}: {Problem}";
}

public sealed record PublishedKey(string StationId, string KeyId, string PublicKey);

/// <summary>
/// Downloads the chain and the public keys from a running portal and checks every entry: sequence, previous hash,
/// its own hash (docs/ledger.md), the station signature over the stored request, the body hash, and that the payload
/// is exactly what the signed body says; camera-state entries are canonical and each links to the camera's previous one.
/// Anyone can run it; it needs nothing but the public API.
/// </summary>
public sealed class LedgerVerifier(HttpClient http)
{
    /// <summary>The public read API's largest ledger page (Portal.Apis.PublicReadApi.MaxLedgerPage): fewer round trips.</summary>
    public const int Page = 1000;

    public async Task<LedgerVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var keys = await http.GetFromJsonAsync<List<PublishedKey>>("/api/v1/keys", IngestJson.Options, cancellationToken) ?? [];
        var state = new Chain(keys);
        long after = 0;
        string headHash;
        long headSeq;
        while (true)
        {
            var page = await http.GetFromJsonAsync<LedgerPageDto>($"/api/v1/ledger?after={after}&limit={Page}", IngestJson.Options, cancellationToken)
                ?? throw new InvalidOperationException("empty ledger page");
            foreach (var entry in page.Entries)
                if (state.Check(entry) is { } bad) return bad;
            (headSeq, headHash) = (page.HeadSeq, page.HeadHash);
            if (page.Entries.Count == 0) break;
            after = page.Entries[^1].Seq;
        }
        // The head may have moved on while we read; it must not be behind what we verified.
        if (headSeq < state.Seq) return new LedgerVerification(false, state.Seq, headSeq, "the head is behind the chain");
        if (headSeq == state.Seq && headHash != state.Hash) return new LedgerVerification(false, state.Seq, headSeq, "the head hash differs from the chain");
        return new LedgerVerification(true, state.Seq, null, null);
    }

    /// <summary>Checks entries already in hand (the camera-state ledger tests use it); <see cref="VerifyAsync"/> downloads them.</summary>
    public static LedgerVerification Verify(IEnumerable<LedgerEntryDto> entries, IReadOnlyList<PublishedKey> keys)
    {
        var state = new Chain(keys);
        foreach (var entry in entries)
            if (state.Check(entry) is { } bad) return bad;
        return new LedgerVerification(true, state.Seq, null, null);
    }

    private sealed class Chain(IReadOnlyList<PublishedKey> keys)
    {
        private readonly Dictionary<string, PublishedKey> _keys = keys.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
        // Each camera's last recorded state: a camera-state entry must name it as its previous.
        private readonly Dictionary<string, CameraState> _cameras = new(StringComparer.Ordinal);
        public long Seq { get; private set; }
        public string Hash { get; private set; } = LedgerHash.Genesis;

        public LedgerVerification? Check(LedgerEntryDto e)
        {
            LedgerVerification Bad(string problem) => new(false, Seq, e.Seq, problem);
            if (e.Seq != Seq + 1) return Bad($"sequence {e.Seq} follows {Seq}");
            if (e.PrevHash != Hash) return Bad("previous hash does not match the entry before");
            if (!DateTimeOffset.TryParseExact(e.ReceivedAt, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var receivedAt))
                return Bad("receivedAt is not in the canonical form");
            var request = e.Request is { } r ? new SignedRequest(r.KeyId, r.Timestamp, r.Method, r.Path, r.BodyHash, r.Signature, r.Body) : null;
            var hash = LedgerHash.Compute(e.Seq, e.PrevHash, e.Kind, e.StationId, e.Payload, receivedAt, request);
            if (hash != e.Hash) return Bad("hash does not match the entry's content");
            if (e.Kind is LedgerKinds.Turnout or LedgerKinds.Protocol)
            {
                if (request is null) return Bad("a station entry without its signed request");
                if (!_keys.TryGetValue(request.KeyId, out var key)) return Bad($"unknown key {request.KeyId}");
                if (key.StationId != e.StationId) return Bad($"key {request.KeyId} belongs to station {key.StationId}");
                var expectedPath = $"/api/v1/stations/{e.StationId}/{(e.Kind == LedgerKinds.Turnout ? "turnout" : "protocols")}";
                if (request.Method != "POST" || request.Path != expectedPath) return Bad($"request {request.Method} {request.Path} is not {expectedPath}");
                byte[] body, signature;
                try { (body, signature) = (Convert.FromBase64String(request.Body), Convert.FromBase64String(request.Signature)); }
                catch (FormatException) { return Bad("body or signature is not base64"); }
                if (StationRequestSigning.BodyHash(body) != request.BodyHash) return Bad("body hash does not match the body");
                if (!StationRequestSigning.Verify(Convert.FromBase64String(key.PublicKey), request.Method, request.Path, request.Timestamp, request.BodyHash, signature))
                    return Bad("the station signature does not verify");
                if (!PayloadMatchesBody(e.Kind, e.Payload, body)) return Bad("the payload is not what the signed body says");
            }
            else if (e.Kind == LedgerKinds.CameraState && CheckCameraState(e, request) is { } problem) return Bad(problem);
            (Seq, Hash) = (e.Seq, e.Hash);
            return null;
        }

        /// <summary>A camera-state entry: no signed request, a canonical payload of known states and reason codes, linked to the camera's previous entry.</summary>
        private string? CheckCameraState(LedgerEntryDto e, SignedRequest? request)
        {
            if (request is not null) return "a camera-state entry carries a signed request";
            if (string.IsNullOrEmpty(e.StationId)) return "a camera-state entry without its station";
            CameraStateRecord record;
            try { record = CameraStatePayload.Parse(e.Payload); }
            catch (FormatException ex) { return $"camera-state payload: {ex.Message}"; }
            CameraState? last = _cameras.TryGetValue(record.CameraId, out var known) ? known : null;
            if (record.Previous != last)
                return $"camera {record.CameraId}: previous state {Name(record.Previous)} but the chain's last entry says {Name(last)}";
            if (record.State == record.Previous) return $"camera {record.CameraId}: a change to the state it was already in";
            _cameras[record.CameraId] = record.State;
            return null;
        }

        private static string Name(CameraState? state) => state is { } s ? CameraStatePayload.Name(s) : "none";

        private static bool PayloadMatchesBody(string kind, string payload, byte[] body)
        {
            var errors = new List<FieldError>();
            try
            {
                if (kind == LedgerKinds.Turnout)
                {
                    var (_, version) = LedgerPayloads.ParseTurnout(payload);
                    var signed = SubmissionParser.ParseTurnout(body, errors);
                    return signed is not null && LedgerPayloads.Turnout(signed, version) == payload;
                }
                else
                {
                    var (_, version) = LedgerPayloads.ParseProtocol(payload);
                    var signed = SubmissionParser.ParseProtocol(body, errors);
                    return signed is not null && LedgerPayloads.Protocol(signed, version) == payload;
                }
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                return false;
            }
        }
    }
}
