using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Grains.Model;
using Portal.StreamGateway.Extensions;
using Portal.StreamGateway.Supervision;

namespace Portal.StreamGateway.Tests.Infrastructure;

/// <summary>A real gateway host (Kestrel on a free loopback port) over the given cameras, reporting to the test silo.</summary>
public sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsDataDir;

    private GatewayHost(WebApplication app, string dataDir, bool ownsDataDir, LogCapture logs)
    {
        _app = app;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
        Logs = logs;
        Http = new HttpClient { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromSeconds(20) };
    }

    public string DataDir { get; }

    public HttpClient Http { get; }

    public LogCapture Logs { get; }

    public CameraSupervisor Supervisor => _app.Services.GetRequiredService<CameraSupervisor>();

    public string CameraDir(string cameraId) => Path.Combine(DataDir, cameraId);

    public static async Task<GatewayHost> StartAsync(IGrainFactory grains, IEnumerable<CameraDefinition> cameras, string? dataDir = null,
        Action<GatewayOptions>? configure = null, Func<ElectionCatalog, ElectionClock>? clock = null)
    {
        var owns = dataDir is null;
        dataDir ??= Tools.TempDir("gw");
        Tools.Require("ffmpeg");
        var builder = WebApplication.CreateBuilder();
        var logs = new LogCapture();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton(TestCatalog.Build(cameras));
        builder.Services.AddSingleton(grains);
        // The portal's election clock, when a test gives one (the accelerated demo day).
        if (clock is not null) builder.Services.AddSingleton(sp => clock(sp.GetRequiredService<ElectionCatalog>()));
        builder.AddStreamGateway();
        builder.Services.Configure<GatewayOptions>(o =>
        {
            o.DataDir = dataDir;
            o.FrozenAfter = TimeSpan.FromSeconds(3);
            o.BlackAfter = TimeSpan.FromSeconds(2);
            o.ReportInterval = TimeSpan.FromSeconds(2);
            configure?.Invoke(o);
        });
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.MapHlsOrigin();
        await app.StartAsync();
        return new GatewayHost(app, dataDir, owns, logs);
    }

    public async Task StopAsync() => await _app.StopAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            await _app.DisposeAsync();
            // Left beside the test data for a failed run's post-mortem.
            File.WriteAllLines(Path.Combine(Path.GetTempPath(), "gw-tests", $"{Path.GetFileName(DataDir)}.log"), Logs.Lines);
            Http.Dispose();
            if (_ownsDataDir)
                try { Directory.Delete(DataDir, true); } catch (IOException) { }
        }
    }
}

/// <summary>Keeps every formatted log line, so tests can prove no secret was logged.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
