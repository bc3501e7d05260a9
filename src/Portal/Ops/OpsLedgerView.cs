using System.Text.Json;
using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.Grains.Results;
using Portal.Ingest.Ledger;
using Portal.Ingest.Stations;

namespace Portal.Ops;

/// <summary>
/// Follows the ledger (the source of truth) and keeps what the ops screens need: every station's turnout reports,
/// protocol versions and invalidations (the same <see cref="StationLedgerState"/> the station grain uses) and every
/// published decision. Reading the ledger once instead of asking 10,000 station grains keeps the intake screen cheap.
/// </summary>
public sealed partial class OpsLedgerView(ILedgerStore ledger, ElectionCatalog catalog, StationKeyRegistry keys, ILogger<OpsLedgerView> logger) : BackgroundService
{
    private const int Chunk = 2000;
    private readonly Dictionary<string, StationLedgerState> _stations = catalog.Election.Stations.ToDictionary(s => s.Id, s => new StationLedgerState(s.Id), StringComparer.Ordinal);
    private readonly Dictionary<string, DecisionRecord> _decisions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _catchUp = new(1, 1);
    private long _seq;

    /// <summary>The last ledger sequence applied.</summary>
    public long Seq { get { lock (_lock) return _seq; } }

    public IReadOnlyList<DecisionRecord> Decisions { get { lock (_lock) return [.. _decisions.Values.OrderByDescending(d => d.Date).ThenByDescending(d => d.LedgerSeq)]; } }

    public DecisionRecord? FindDecision(string id) { lock (_lock) return _decisions.GetValueOrDefault(id); }

    /// <summary>Runs <paramref name="read"/> over the station states under the view's lock (reads must not keep references).</summary>
    public T Read<T>(Func<IReadOnlyDictionary<string, StationLedgerState>, T> read) { lock (_lock) return read(_stations); }

    /// <summary>Reads every ledger entry not yet applied.</summary>
    public async Task CatchUpAsync(CancellationToken cancellationToken = default)
    {
        await _catchUp.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                var entries = await ledger.ReadAsync(Seq, Chunk, cancellationToken);
                if (entries.Count == 0) return;
                lock (_lock) foreach (var entry in entries) ApplyLocked(entry);
                if (entries.Count < Chunk) return;
            }
        }
        finally
        {
            _catchUp.Release();
        }
    }

    /// <summary>Reads the ledger before the host starts serving, so the first request sees every decision and key change.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try { await CatchUpAsync(cancellationToken); }
        catch (Exception e) when (e is not OperationCanceledException) { LogReadFailed(e); }
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                try { await CatchUpAsync(stoppingToken); }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested) { LogReadFailed(e); }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private void ApplyLocked(LedgerEntry entry)
    {
        if (entry.Seq <= _seq) return;
        _seq = entry.Seq;
        try
        {
            if (entry.Kind == LedgerKinds.Decision)
            {
                var d = DecisionPayload.Read(entry);
                _decisions[d.Id] = d;
            }
            else if (entry.Kind == LedgerKinds.StationKey) keys.Apply(StationKeyPayload.Parse(entry.Payload));
            else if (_stations.TryGetValue(entry.StationId, out var station)) station.Apply(entry);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // One unreadable entry must not stop the view; the chain itself is verified elsewhere.
            LogBadEntry(e, entry.Seq, entry.Kind);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The ops ledger view could not read the ledger; retrying.")]
    private partial void LogReadFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger entry {Seq} of kind {Kind} could not be applied to the ops view.")]
    private partial void LogBadEntry(Exception exception, long seq, string kind);
}
