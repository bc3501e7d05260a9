using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Portal.Grains.Abstractions;
using Portal.Grains.Ledger;
using Portal.Grains.Model;

namespace Portal.Grains.Forensics;

/// <summary>
/// Follows the ledger (every second, from where it left off; camera outages are its camera-state entries) into an <see cref="ElectionForensics"/>,
/// and serves its reports from a cache. After each look at the ledger that found something, the selections asked for in
/// the last <see cref="KeepWarmFor"/> are recomputed at once, off any request: a page or API call finds a current report
/// instead of paying for a pass over 100,000 stations, and a burst of views costs nothing extra. A selection asked for
/// the first time is computed on that request. Reading the ledger rather than taking calls from the station grains keeps
/// the intake's hot path untouched. Volunteer counts (docs/counting.md) are pulled from the counting grain every
/// <see cref="CountingPullInterval"/>: their published figures move with time (a clip enters the archive) and with every
/// volunteer's weight, so a pull of the current figures is simpler and surer than following changes.
/// </summary>
public sealed partial class ForensicsGrain(ElectionCatalog catalog, ElectionClock clock, ILedgerStore ledger, ILogger<ForensicsGrain> logger)
    : Grain, IForensicsGrain
{
    public static readonly TimeSpan FollowInterval = TimeSpan.FromSeconds(1);

    /// <summary>A report this young is served even if the model moved on.</summary>
    public static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(1);

    /// <summary>Recomputed after this even without a change: an ongoing outage grows, and polls close.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);

    /// <summary>A selection nobody asked for in this long is no longer recomputed ahead (it is computed when asked again).</summary>
    public static readonly TimeSpan KeepWarmFor = TimeSpan.FromMinutes(2);

    /// <summary>How often the published volunteer counts are read from the counting grain (elections with ballot-box cameras only).</summary>
    public static readonly TimeSpan CountingPullInterval = TimeSpan.FromSeconds(5);

    /// <summary>At most this many selections are kept warm (the most recently asked).</summary>
    public const int MaxWarm = 32;

    private const int ReplayPage = 5000;

    // System.Diagnostics.Metrics, which the host's Prometheus exporter publishes with the rest of /metrics.
    private static readonly Meter Meter = new("Portal.Forensics");
    private static readonly Histogram<double> ReportSeconds = Meter.CreateHistogram<double>("portal_forensics_report_seconds", "s",
        "Time to compute one statistics report (one selection of one contest)");
    private readonly Dictionary<(string Contest, string? Region, string? Constituency), Cached> _reports = [];
    private ElectionForensics _model = null!;

    private sealed record Cached(long Revision, bool Open, long At, ForensicsReport Report)
    {
        /// <summary>When the selection was last asked for (Environment.TickCount64).</summary>
        public long AskedAt { get; set; }
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (this.GetPrimaryKeyString() != catalog.Election.Id) throw new KeyNotFoundException($"unknown election \"{this.GetPrimaryKeyString()}\"");
        _model = new ElectionForensics(catalog, clock);
        var started = Stopwatch.GetTimestamp();
        await CatchUpAsync();
        LogRebuilt(_model.LedgerSeq, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        this.RegisterGrainTimer(FollowAsync, new GrainTimerCreationOptions(FollowInterval, FollowInterval));
        if (catalog.Cameras.Any(c => c.Enabled && c.SeesBallotBox))
            this.RegisterGrainTimer(PullCountingAsync, new GrainTimerCreationOptions(FollowInterval, CountingPullInterval));
    }

    public Task<ForensicsReport> GetReportAsync(string contestId, string? regionId, string? constituencyId)
    {
        var key = (contestId, regionId, constituencyId);
        var now = Environment.TickCount64;
        var open = clock.ResultsArePublic;
        if (_reports.TryGetValue(key, out var cached) && IsCurrent(cached, open, now))
        {
            cached.AskedAt = now;
            return Task.FromResult(cached.Report);
        }
        return Task.FromResult(Compute(key, now, now).Report);
    }

    private bool IsCurrent(Cached cached, bool open, long now)
    {
        var age = TimeSpan.FromMilliseconds(now - cached.At);
        return cached.Open == open && (age < FreshFor || (cached.Revision == _model.Revision && age < MaxAge));
    }

    private Cached Compute((string Contest, string? Region, string? Constituency) key, long now, long askedAt)
    {
        var started = Stopwatch.GetTimestamp();
        var report = _model.Report(key.Contest, key.Region, key.Constituency);
        var elapsed = Stopwatch.GetElapsedTime(started);
        ReportSeconds.Record(elapsed.TotalSeconds);
        LogComputed(key.Contest, key.Region, key.Constituency, elapsed.TotalMilliseconds);
        return _reports[key] = new Cached(_model.Revision, clock.ResultsArePublic, now, report) { AskedAt = askedAt };
    }

    /// <summary>Reads the ledger, then recomputes the selections asked for lately whose report is no longer current.</summary>
    private async Task FollowAsync(CancellationToken cancellationToken)
    {
        await CatchUpAsync();
        var now = Environment.TickCount64;
        var open = clock.ResultsArePublic;
        var warm = _reports.Where(kv => TimeSpan.FromMilliseconds(now - kv.Value.AskedAt) < KeepWarmFor)
            .OrderByDescending(kv => kv.Value.AskedAt).Take(MaxWarm).ToList();
        foreach (var (key, _) in _reports.Except(warm).ToList()) _reports.Remove(key);
        foreach (var (key, cached) in warm)
            if (cached.Revision != _model.Revision || cached.Open != open || TimeSpan.FromMilliseconds(now - cached.At) >= MaxAge)
                Compute(key, now, cached.AskedAt);
    }

    public Task<IReadOnlyList<ForensicsStationRow>> GetStationRowsAsync(string contestId) => Task.FromResult(_model.StationRows(contestId));

    public async Task<long> CatchUpAsync()
    {
        while (true)
        {
            var page = await ledger.ReadAsync(_model.LedgerSeq, ReplayPage);
            foreach (var entry in page) _model.Apply(entry);
            if (page.Count < ReplayPage) return _model.LedgerSeq;
        }
    }

    private async Task PullCountingAsync(CancellationToken cancellationToken)
    {
        try
        {
            var changed = 0;
            foreach (var counting in await GrainFactory.GetGrain<ICountingGrain>(catalog.Election.Id).GetCountedStationsAsync())
                if (_model.SetCounting(counting)) changed++;
            if (changed > 0) LogCountingPulled(changed);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The statistics go on without the counts; the next pull tries again.
            LogCountingPullFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forensics rebuilt to ledger seq {Seq} in {Milliseconds:F0} ms")]
    private partial void LogRebuilt(long seq, double milliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forensics took volunteer counts of {Stations} stations that changed")]
    private partial void LogCountingPulled(int stations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Forensics could not read the volunteer counts")]
    private partial void LogCountingPullFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Forensics report {ContestId} {RegionId} {ConstituencyId} computed in {Milliseconds:F1} ms")]
    private partial void LogComputed(string contestId, string? regionId, string? constituencyId, double milliseconds);
}
