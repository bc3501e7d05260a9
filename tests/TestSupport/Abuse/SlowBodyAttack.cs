using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portal.TestSupport.Abuse;

/// <summary>
/// Slow-body clients (the attack of issue 20): each of <c>connections</c> sockets sends a POST's headers declaring a
/// 64 KiB body, then trickles <see cref="BytesPerTick"/> bytes a second and never finishes. When the server answers or
/// closes, the client notes the status and connects again after <see cref="ReconnectDelay"/>, as an attacker would.
/// Shared by the abuse benchmark and the intake tests (linked source).
/// </summary>
public sealed class SlowBodyAttack(IPEndPoint server, int connections, Func<int, string> requestHead)
{
    public const int DeclaredBodyBytes = 64 * 1024;
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);
    public const int BytesPerTick = 400;

    private int _open;
    private int _maxOpen;
    private long _attempts;
    private long _connectFailures;

    /// <summary>Answers by status code (0: closed without an answer).</summary>
    public ConcurrentDictionary<int, long> Answers { get; } = new();

    public int Open => Volatile.Read(ref _open);
    public int MaxOpen => Volatile.Read(ref _maxOpen);
    public long Attempts => Interlocked.Read(ref _attempts);
    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    /// <summary>Headers of a POST to <paramref name="path"/> declaring the 64 KiB body, with an optional Authorization header.</summary>
    public static string Head(IPEndPoint server, string path, string? authorization) =>
        $"POST {path} HTTP/1.1\r\nHost: {server}\r\nContent-Type: application/json\r\n" +
        (authorization is null ? "" : $"Authorization: {authorization}\r\n") +
        $"Content-Length: {DeclaredBodyBytes.ToString(CultureInfo.InvariantCulture)}\r\n\r\n";

    /// <summary>Runs every connection until <paramref name="stop"/>; completes when all sockets are closed.</summary>
    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, connections).Select(i => Task.Run(() => ConnectionLoopAsync(i, stop))));

    public string Describe() =>
        $"{Attempts} connections made (at most {MaxOpen} open at once, {ConnectFailures} failed to connect); answers: " +
        string.Join(", ", Answers.OrderBy(kv => kv.Key).Select(kv => $"{(kv.Key == 0 ? "closed" : kv.Key.ToString(CultureInfo.InvariantCulture))} x{kv.Value}"));

    private async Task ConnectionLoopAsync(int index, CancellationToken stop)
    {
        var trickle = Encoding.ASCII.GetBytes(new string(' ', BytesPerTick));
        var response = new byte[512];
        while (!stop.IsCancellationRequested)
        {
            using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true })
            {
                try
                {
                    await socket.ConnectAsync(server, stop);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    Interlocked.Increment(ref _connectFailures);
                    await PauseAsync(stop);
                    continue;
                }
                Interlocked.Increment(ref _attempts);
                var open = Interlocked.Increment(ref _open);
                int seen;
                while (open > (seen = Volatile.Read(ref _maxOpen)) && Interlocked.CompareExchange(ref _maxOpen, open, seen) != seen) { }
                try
                {
                    await socket.SendAsync(Encoding.ASCII.GetBytes(requestHead(index)), SocketFlags.None, stop);
                    var answer = socket.ReceiveAsync(response, SocketFlags.None, stop).AsTask();
                    while (!answer.IsCompleted && !stop.IsCancellationRequested)
                    {
                        await Task.WhenAny(answer, Task.Delay(Tick, stop)).ConfigureAwait(false);
                        if (!answer.IsCompleted) await socket.SendAsync(trickle, SocketFlags.None, stop);
                    }
                    if (answer.IsCompletedSuccessfully) Answers.AddOrUpdate(Status(response, answer.Result), 1, (_, n) => n + 1);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
                {
                    if (!stop.IsCancellationRequested) Answers.AddOrUpdate(0, 1, (_, n) => n + 1);
                }
                finally
                {
                    Interlocked.Decrement(ref _open);
                }
            }
            await PauseAsync(stop);
        }
    }

    private static async Task PauseAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(ReconnectDelay, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }

    // "HTTP/1.1 401 Unauthorized"
    private static int Status(byte[] response, int length) =>
        length >= 12 && int.TryParse(Encoding.ASCII.GetString(response, 9, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : 0;
}
