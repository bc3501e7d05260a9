using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Portal.TestSupport.Abuse;

/// <summary>
/// A live-hub client on a bare socket: the WebSocket upgrade and the SignalR JSON protocol by hand, so it can do what no
/// library client does (subscribe and never read, with a tiny receive buffer; pipeline thousands of calls) and count the
/// bytes that reach it. Shared by the abuse benchmark and the portal's live-hub tests (linked source).
/// </summary>
public sealed class RawHubSocket : IDisposable
{
    public const char RecordSeparator = '\u001e';
    private readonly Socket _socket;
    private readonly List<byte> _frame = [];
    private readonly List<byte> _record = [];
    private byte[] _pending = [];
    private long _wireBytes;

    private RawHubSocket(Socket socket) => _socket = socket;

    /// <summary>Every byte received from the server since the upgrade answer, frame headers included.</summary>
    public long WireBytes => Interlocked.Read(ref _wireBytes);

    /// <summary>Whether the server closed the connection (a close frame, end of stream or a reset).</summary>
    public bool Closed { get; private set; }

    /// <summary>
    /// Connects, upgrades <c>/hubs/live</c> to a WebSocket and sends the JSON handshake. <paramref name="receiveBufferSize"/>
    /// is set before connecting, so the window the client advertises is small from the start. <paramref name="headers"/>
    /// are extra request headers (X-Forwarded-For, ...); <paramref name="localAddress"/> binds the client end (127.0.0.2 is
    /// another loopback client).
    /// </summary>
    public static async Task<RawHubSocket> ConnectAsync(IPEndPoint server, CancellationToken cancellationToken, int? receiveBufferSize = null,
        string headers = "", IPAddress? localAddress = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (receiveBufferSize is { } size) socket.ReceiveBufferSize = size;
            if (localAddress is not null) socket.Bind(new IPEndPoint(localAddress, 0));
            await socket.ConnectAsync(server, cancellationToken);
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET /hubs/live HTTP/1.1\r\nHost: {server}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n{headers}\r\n"), SocketFlags.None, cancellationToken);
            var hub = new RawHubSocket(socket);
            var head = await hub.ReadHeadAsync(cancellationToken);
            if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
                throw new InvalidOperationException("no WebSocket upgrade: " + head.Split('\r')[0]);
            await hub.SendAsync("{\"protocol\":\"json\",\"version\":1}", cancellationToken);
            return hub;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An invocation of <paramref name="target"/> with one string argument; with an id the server answers with a completion.</summary>
    public Task InvokeAsync(string target, string argument, string? invocationId, CancellationToken cancellationToken) =>
        SendAsync(invocationId is null
            ? $"{{\"type\":1,\"target\":\"{target}\",\"arguments\":[\"{argument}\"]}}"
            : $"{{\"type\":1,\"invocationId\":\"{invocationId}\",\"target\":\"{target}\",\"arguments\":[\"{argument}\"]}}", cancellationToken);

    /// <summary>Sends one protocol record (the separator is added) as a masked text frame, as RFC 6455 requires of clients.</summary>
    public async Task SendAsync(string record, CancellationToken cancellationToken) =>
        await _socket.SendAsync(Frame(record + RecordSeparator), SocketFlags.None, cancellationToken);

    /// <summary>
    /// Reads until the server has sent nothing for <paramref name="quiet"/> (or closed, or <paramref name="limit"/> passed)
    /// and returns the protocol records received, in order.
    /// </summary>
    public async Task<List<string>> ReadRecordsAsync(TimeSpan quiet, TimeSpan limit, CancellationToken cancellationToken)
    {
        var records = new List<string>();
        var buffer = new byte[64 * 1024];
        var until = DateTime.UtcNow + limit;
        while (!Closed && DateTime.UtcNow < until)
        {
            int got;
            if (_pending.Length > 0)
            {
                got = _pending.Length;
                _pending.CopyTo(buffer, 0);
                _pending = [];
            }
            else
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(quiet);
                try
                {
                    got = await _socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    break;
                }
                catch (SocketException)
                {
                    Closed = true;
                    break;
                }
                if (got == 0)
                {
                    Closed = true;
                    break;
                }
                Interlocked.Add(ref _wireBytes, got);
            }
            Parse(buffer.AsSpan(0, got), records);
        }
        return records;
    }

    /// <summary>Whether the server closed or reset the connection, seen without reading what it sent before (a reset discards it).</summary>
    public bool LooksClosed()
    {
        try { return Closed || (_socket.Poll(0, SelectMode.SelectRead) && _socket.Available == 0); }
        catch (SocketException) { return true; }
        catch (ObjectDisposedException) { return true; }
    }

    /// <summary>Reads and drops everything until the server closes the connection or <paramref name="limit"/> passes; whether it closed.</summary>
    public async Task<bool> DrainUntilClosedAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var until = DateTime.UtcNow + limit;
        while (!Closed && DateTime.UtcNow < until)
            await ReadRecordsAsync(TimeSpan.FromSeconds(1), until - DateTime.UtcNow, cancellationToken);
        return Closed;
    }

    private async Task<string> ReadHeadAsync(CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (received.Count < 16 * 1024)
        {
            var got = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            if (got == 0) throw new InvalidOperationException("the server closed the connection during the upgrade");
            received.AddRange(buffer.AsSpan(0, got));
            var text = Encoding.ASCII.GetString([.. received]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0) continue;
            // Anything after the head is the first WebSocket data.
            _pending = [.. received.Skip(end + 4)];
            Interlocked.Add(ref _wireBytes, _pending.Length);
            return text[..end];
        }
        throw new InvalidOperationException("the upgrade answer has no end");
    }

    // Server frames are unmasked; text and continuation payloads are joined and split into records at the separator.
    private void Parse(ReadOnlySpan<byte> data, List<string> records)
    {
        _frame.AddRange(data);
        while (true)
        {
            var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_frame);
            if (span.Length < 2) return;
            var opcode = span[0] & 0x0f;
            long length = span[1] & 0x7f;
            var offset = 2;
            if (length == 126)
            {
                if (span.Length < 4) return;
                length = BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
                offset = 4;
            }
            else if (length == 127)
            {
                if (span.Length < 10) return;
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(span[2..]);
                offset = 10;
            }
            if (span.Length < offset + length) return;
            var payload = span.Slice(offset, (int)length);
            if (opcode == 8) Closed = true;
            else if (opcode is 0 or 1 or 2)
            {
                // Bytes, not text: a character may be split between two frames.
                foreach (var b in payload)
                {
                    if (b != (byte)RecordSeparator) { _record.Add(b); continue; }
                    records.Add(Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_record)));
                    _record.Clear();
                }
            }
            _frame.RemoveRange(0, offset + (int)length);
        }
    }

    private static byte[] Frame(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        byte[] header = payload.Length < 126 ? [0x81, (byte)(0x80 | payload.Length)] : [0x81, 0x80 | 126, (byte)(payload.Length >> 8), (byte)payload.Length];
        var mask = RandomNumberGenerator.GetBytes(4);
        var frame = new byte[header.Length + 4 + payload.Length];
        header.CopyTo(frame, 0);
        mask.CopyTo(frame, header.Length);
        for (var i = 0; i < payload.Length; i++) frame[header.Length + 4 + i] = (byte)(payload[i] ^ mask[i % 4]);
        return frame;
    }

    public void Dispose() => _socket.Dispose();
}
