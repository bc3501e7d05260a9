using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Portal.Grains.Model;
using Portal.Ingest.Stations;

namespace Portal.Ingest.Simulation;

/// <summary>A station device: signs requests with its private key (api.md section 2 "Station device API") and posts them over HTTP.</summary>
public sealed class StationClient(HttpClient http, IReadOnlyDictionary<string, StationPrivateKey> keys, TimeProvider? realTime = null)
{
    private readonly TimeProvider _time = realTime ?? TimeProvider.System;

    public static IReadOnlyDictionary<string, StationPrivateKey> Index(IEnumerable<StationPrivateKey> keys) =>
        keys.GroupBy(k => k.StationId).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    public HttpClient Http => http;

    public Task<HttpResponseMessage> PostTurnoutAsync(string stationId, object body, CancellationToken cancellationToken = default) =>
        PostAsync(stationId, "turnout", Serialize(body), cancellationToken: cancellationToken);

    public Task<HttpResponseMessage> PostProtocolAsync(string stationId, object body, CancellationToken cancellationToken = default) =>
        PostAsync(stationId, "protocols", Serialize(body), cancellationToken: cancellationToken);

    public static byte[] Serialize(object body) => body as byte[] ?? JsonSerializer.SerializeToUtf8Bytes(body, IngestJson.Options);

    public static string PathOf(string stationId, string kind) => $"/api/v1/stations/{stationId}/{kind}";

    /// <summary>
    /// Signs items ahead of a timed run, as a load generator prepares its requests: each gets its Authorization header
    /// with the current timestamp, so the whole set must be posted within the server's 300 s window. Signs on all cores,
    /// importing each station's private key once.
    /// </summary>
    public IReadOnlyList<LoadItem> Presign(IReadOnlyList<LoadItem> items)
    {
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        var signers = new ConcurrentDictionary<string, Lazy<ECDsa>>(StringComparer.Ordinal);
        var signed = new LoadItem[items.Count];
        Parallel.For(0, items.Count, i =>
        {
            var item = items[i];
            var key = keys[item.StationId];
            var signer = signers.GetOrAdd(item.StationId, _ => new Lazy<ECDsa>(() => Signer(key))).Value;
            string signature;
            lock (signer) signature = StationRequestSigning.Sign(signer, "POST", PathOf(item.StationId, item.Kind), timestamp, item.Body);
            signed[i] = item with { Authorization = StationRequestSigning.AuthorizationHeader(key.KeyId, timestamp, signature) };
        });
        foreach (var signer in signers.Values) signer.Value.Dispose();
        return signed;
    }

    /// <summary>Posts an item: with its ready Authorization header if it was signed ahead, else signing it now.</summary>
    public async Task<HttpResponseMessage> PostAsync(LoadItem item, CancellationToken cancellationToken = default)
    {
        if (item.Authorization is null) return await PostAsync(item.StationId, item.Kind, item.Body, cancellationToken: cancellationToken);
        using var request = JsonPost(PathOf(item.StationId, item.Kind), item.Body);
        request.Headers.TryAddWithoutValidation("Authorization", item.Authorization);
        return await http.SendAsync(request, cancellationToken);
    }

    /// <summary>Signs and posts raw bytes. The optional arguments exist to produce bad requests in tests.</summary>
    public async Task<HttpResponseMessage> PostAsync(string stationId, string kind, byte[] body, string? signWithKeyOf = null,
        long? timestamp = null, bool corruptSignature = false, bool unsigned = false, CancellationToken cancellationToken = default)
    {
        var path = PathOf(stationId, kind);
        using var request = JsonPost(path, body);
        if (!unsigned)
        {
            var key = keys[signWithKeyOf ?? stationId];
            var ts = timestamp ?? _time.GetUtcNow().ToUnixTimeSeconds();
            using var ecdsa = Signer(key);
            var signature = StationRequestSigning.Sign(ecdsa, "POST", path, ts, body);
            if (corruptSignature)
            {
                var bytes = Convert.FromBase64String(signature);
                bytes[10] ^= 0x5a;
                signature = Convert.ToBase64String(bytes);
            }
            request.Headers.TryAddWithoutValidation("Authorization", StationRequestSigning.AuthorizationHeader(key.KeyId, ts, signature));
        }
        return await http.SendAsync(request, cancellationToken);
    }

    private static HttpRequestMessage JsonPost(string path, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return request;
    }

    private static ECDsa Signer(StationPrivateKey key)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(key.Pkcs8, out _);
        return ecdsa;
    }
}
