using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.Search.Tests.Elasticsearch;

/// <summary>One request the backend sent, as the listener received it.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string Line => $"{Method} {Path}";
}

/// <summary>
/// A protocol test double, not an Elasticsearch server: a real HTTP listener on 127.0.0.1 that records what the
/// backend's official client sends and answers with bodies written after the Elasticsearch reference
/// (Responses/*.json, each naming its page) and Elasticsearch's product header. It analyses and searches nothing.
/// </summary>
internal sealed class FakeElasticsearch : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private FakeElasticsearch(WebApplication app) => _app = app;

    /// <summary>Answers each request: (status, body); unmatched requests get a 500 so a test sees them.</summary>
    public Func<RecordedRequest, (int Status, string Body)?> Respond { get; set; } = _ => null;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public Uri Url { get; private set; } = null!;

    public static async Task<FakeElasticsearch> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        var fake = new FakeElasticsearch(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        // The client compresses request bodies.
        Stream body = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? new System.IO.Compression.GZipStream(context.Request.Body, System.IO.Compression.CompressionMode.Decompress)
            : context.Request.Body;
        using var reader = new StreamReader(body);
        var text = await reader.ReadToEndAsync();
        var request = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", text,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
        _requests.Enqueue(request);
        var (status, answer) = Respond(request) ?? (500, Responses.Error("unexpected_request", $"the test did not expect {request.Line}", 500));
        // Elastic.Transport checks that it talks to Elasticsearch by this header.
        context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
        context.Response.StatusCode = status;
        if (context.Request.Method != "HEAD")
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer);
        }
    }

    public void Clear() => _requests.Clear();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The response bodies under Responses/, and small ones built the same way.</summary>
internal static class Responses
{
    /// <summary>A body from Responses/, without the "//" member that names its reference page (Elasticsearch sends no such member).</summary>
    public static string Read(string name)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Elasticsearch", "Responses", name)))!.AsObject();
        Assert.True(body.Remove("//"), $"{name} names no reference page");
        return body.ToJsonString();
    }

    /// <summary>An error body as the reference's "Common options: error responses" shows it.</summary>
    public static string Error(string type, string reason, int status) =>
        $$"""{"error":{"root_cause":[{"type":"{{type}}","reason":"{{reason}}"}],"type":"{{type}}","reason":"{{reason}}"},"status":{{status}}}""";

    public const string Acknowledged = """{"acknowledged":true}""";
}
