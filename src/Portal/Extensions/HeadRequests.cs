using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Portal.Extensions;

/// <summary>
/// HEAD is answered like GET on every address (pages, API, HLS, health): the request runs as GET, the body is counted and
/// dropped, and status and headers go out as GET would send them, with the Content-Length of the dropped body.
/// Razor component and minimal-API endpoints match GET only, so without this every HEAD (nginx, probes, link checkers) is a 404.
/// </summary>
public static class HeadRequests
{
    /// <summary>Call first: everything after it, routing included, sees a GET.</summary>
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await next(context);
            return;
        }
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var counted = new CountingBody();
        context.Features.Set<IHttpResponseBodyFeature>(counted);
        context.Request.Method = HttpMethods.Get;
        try
        {
            await next(context);
            await counted.CompleteAsync();
            var response = context.Response;
            if (!response.HasStarted && response.ContentLength is null && response.Headers.TransferEncoding.Count == 0 && CanHaveBody(response.StatusCode))
                response.ContentLength = counted.Length;
        }
        finally
        {
            context.Features.Set(original);
            context.Request.Method = HttpMethods.Head;
        }
    });

    private static bool CanHaveBody(int status) => status >= 200 && status != StatusCodes.Status204NoContent && status != StatusCodes.Status304NotModified;

    /// <summary>A response body that only counts: never starts the real response, so headers can still change at the end.</summary>
    private sealed class CountingBody : IHttpResponseBodyFeature
    {
        private readonly CountingStream _stream = new();
        private PipeWriter? _writer;

        public long Length => _stream.Count;
        public Stream Stream => _stream;
        public PipeWriter Writer => _writer ??= PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));

        public void DisableBuffering() { }

        public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
        {
            _stream.Count += count ?? new FileInfo(path).Length - offset;
            return Task.CompletedTask;
        }

        public async Task CompleteAsync()
        {
            if (_writer is not null) await _writer.CompleteAsync();
        }
    }

    private sealed class CountingStream : Stream
    {
        public long Count { get; set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Count;
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Count += count;
        public override void Write(ReadOnlySpan<byte> buffer) => Count += buffer.Length;
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Count += count;
            return Task.CompletedTask;
        }
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
