using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Portal.Ingest.Simulation;

namespace Portal.Bench.Protocols;

/// <summary>
/// The benchmark's load generator, in the manner of wrk: every request (request line, headers with the pre-signed
/// Authorization, body) is rendered to bytes before the timed phase, and each of <c>concurrency</c> workers owns one
/// keep-alive HTTP/1.1 connection on which it writes a prepared request and reads the response (status line, headers,
/// a Content-Length or chunked body). The driver shares the two cores with the portal, so what HttpClient spends per
/// request (request/response objects, header collections, its handler pipeline) would be measured as if it were the
/// server's. The server sees ordinary HTTP/1.1 requests; 429s are retried after Retry-After like <see cref="LoadDriver"/>.
/// </summary>
public sealed class RawHttpDriver
{
    private readonly byte[] _requests;
    private readonly int[] _offsets;
    private readonly IReadOnlyList<LoadItem> _items;

    private RawHttpDriver(IReadOnlyList<LoadItem> items, byte[] requests, int[] offsets) => (_items, _requests, _offsets) = (items, requests, offsets);

    /// <summary>Renders every signed item into one buffer (one large object for the GC, not one per request).</summary>
    public static RawHttpDriver Prepare(Uri server, IReadOnlyList<LoadItem> items)
    {
        var host = $"{server.Host}:{server.Port}";
        var heads = new byte[items.Count][];
        long total = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item.Authorization is null) throw new ArgumentException("items must be pre-signed", nameof(items));
            heads[i] = Encoding.ASCII.GetBytes(
                $"POST {StationClient.PathOf(item.StationId, item.Kind)} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json; charset=utf-8\r\n" +
                $"Authorization: {item.Authorization}\r\nContent-Length: {item.Body.Length}\r\n\r\n");
            total += heads[i].Length + item.Body.Length;
        }
        var requests = new byte[checked((int)total)];
        var offsets = new int[items.Count + 1];
        var at = 0;
        for (var i = 0; i < items.Count; i++)
        {
            offsets[i] = at;
            heads[i].CopyTo(requests, at);
            at += heads[i].Length;
            items[i].Body.CopyTo(requests, at);
            at += items[i].Body.Length;
        }
        offsets[items.Count] = at;
        return new RawHttpDriver(items, requests, offsets);
    }

    public async Task<LoadReport> RunAsync(IPEndPoint server, int concurrency, Action<LoadItem, HttpStatusCode>? onResult = null)
    {
        var latencies = new double[_items.Count];
        int acknowledged = 0, rejected = 0, throttled = 0, next = -1;
        var sockets = new List<Socket>();
        for (var c = 0; c < concurrency; c++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(server);
            sockets.Add(socket);
        }
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(sockets.Select(socket => Task.Run(async () =>
        {
            var reader = new ResponseReader(socket);
            int i;
            while ((i = Interlocked.Increment(ref next)) < _items.Count)
            {
                var request = _requests.AsMemory(_offsets[i], _offsets[i + 1] - _offsets[i]);
                while (true)
                {
                    var started = Stopwatch.GetTimestamp();
                    while (request.Length > 0) request = request[await socket.SendAsync(request, SocketFlags.None)..];
                    var (status, retryAfter) = await reader.ReadAsync();
                    if (status == HttpStatusCode.TooManyRequests)
                    {
                        Interlocked.Increment(ref throttled);
                        await Task.Delay(TimeSpan.FromSeconds(retryAfter ?? 1));
                        request = _requests.AsMemory(_offsets[i], _offsets[i + 1] - _offsets[i]);
                        continue;
                    }
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (status is HttpStatusCode.Created or HttpStatusCode.OK) Interlocked.Increment(ref acknowledged);
                    else Interlocked.Increment(ref rejected);
                    onResult?.Invoke(_items[i], status);
                    break;
                }
            }
        })));
        var elapsed = clock.Elapsed;
        foreach (var socket in sockets) socket.Dispose();
        return new LoadReport(acknowledged, rejected, throttled, elapsed, latencies);
    }

    /// <summary>Reads HTTP/1.1 responses off one keep-alive connection: the status, Retry-After, and skips the body.</summary>
    private sealed class ResponseReader(Socket socket)
    {
        private readonly byte[] _buffer = new byte[16 * 1024];
        private int _start, _end;

        public async Task<(HttpStatusCode Status, int? RetryAfter)> ReadAsync()
        {
            int headerEnd;
            while ((headerEnd = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0) await FillAsync();
            var (status, length, chunked, retryAfter) = ParseHead(_buffer.AsSpan(_start, headerEnd));
            _start += headerEnd + 4;
            if (chunked)
                while (true)
                {
                    var size = (int)Convert.ToInt64(await LineAsync(), 16);
                    if (size == 0) { await LineAsync(); break; } // no trailers
                    await SkipAsync(size);
                    await LineAsync();
                }
            else if (length is { } n) await SkipAsync(n);
            return (status, retryAfter);
        }

        private static (HttpStatusCode Status, long? Length, bool Chunked, int? RetryAfter) ParseHead(ReadOnlySpan<byte> head)
        {
            var inv = System.Globalization.CultureInfo.InvariantCulture;
            var lines = Encoding.ASCII.GetString(head).Split("\r\n");
            // "HTTP/1.1 201 Created"
            var status = (HttpStatusCode)int.Parse(lines[0].AsSpan(9, 3), provider: inv);
            long? length = null;
            var chunked = false;
            int? retryAfter = null;
            foreach (var line in lines.AsSpan(1))
            {
                var colon = line.IndexOf(':');
                var name = line.AsSpan(0, colon);
                var value = line.AsSpan(colon + 1).Trim();
                if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) length = long.Parse(value, provider: inv);
                else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) chunked = value.Contains("chunked", StringComparison.OrdinalIgnoreCase);
                else if (name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase)) retryAfter = int.Parse(value, provider: inv);
            }
            return (status, length, chunked, retryAfter);
        }

        private async Task<string> LineAsync()
        {
            int end;
            while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0) await FillAsync();
            var line = Encoding.ASCII.GetString(_buffer, _start, end);
            _start += end + 2;
            var semicolon = line.IndexOf(';'); // chunk extensions
            return semicolon < 0 ? line : line[..semicolon];
        }

        private async Task SkipAsync(long count)
        {
            while (count > 0)
            {
                if (_start == _end) await FillAsync();
                var take = (int)Math.Min(count, _end - _start);
                _start += take;
                count -= take;
            }
        }

        private async Task FillAsync()
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                (_end, _start) = (_end - _start, 0);
            }
            if (_end == _buffer.Length) throw new InvalidOperationException("response header larger than the buffer");
            var n = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
            if (n == 0) throw new IOException("the server closed the connection");
            _end += n;
        }
    }
}
