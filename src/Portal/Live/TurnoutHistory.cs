using Portal.Components.Shared;
using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.Grains.Results;

namespace Portal.Live;

/// <summary>
/// Turnout through the day for any set of stations (the nation, a region, a constituency), computed from the ledger's
/// turnout entries: at each hour, every station counts with its newest report as of that hour. The ledger is the public
/// record, so these curves are what anyone recomputing from the downloaded chain gets. Read incrementally, at most
/// every <see cref="RefreshInterval"/>.
/// </summary>
public sealed class TurnoutHistory(ILedgerStore ledger, ElectionCatalog catalog, TimeProvider time)
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);
    private const int Page = 5000;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, List<Report>> _reports = new(StringComparer.Ordinal);
    private long _after;
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    private readonly record struct Report(DateTimeOffset AsOf, int Issued, int? OnList, long Seq);

    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        if (time.GetUtcNow() - _readAt < RefreshInterval) return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (time.GetUtcNow() - _readAt < RefreshInterval) return;
            while (true)
            {
                var page = await ledger.ReadAsync(_after, Page, cancellationToken);
                if (page.Count == 0) break;
                lock (_reports)
                    foreach (var entry in page)
                    {
                        if (entry.Kind != LedgerKinds.Turnout) continue;
                        var (t, _) = LedgerPayloads.ParseTurnout(entry.Payload);
                        if (!_reports.TryGetValue(entry.StationId, out var list)) _reports[entry.StationId] = list = [];
                        list.Add(new Report(t.AsOf, t.VotersIssuedBallots, t.VotersOnList, entry.Seq));
                    }
                _after = page[^1].Seq;
                if (page.Count < Page) break;
            }
            _readAt = time.GetUtcNow();
        }
        finally { _gate.Release(); }
    }

    /// <summary>The curve at each full hour from polls open up to <paramref name="until"/> (and at <paramref name="until"/> itself).</summary>
    public IReadOnlyList<ChartPoint> Curve(IReadOnlyCollection<StationDefinition> stations, DateTimeOffset until)
    {
        var open = catalog.Election.PollsOpen;
        var end = until < catalog.Election.PollsClose ? until : catalog.Election.PollsClose;
        var points = new List<ChartPoint>();
        if (end <= open) return points;
        var moments = new List<DateTimeOffset>();
        for (var t = open.AddHours(1); t < end; t = t.AddHours(1)) moments.Add(t);
        moments.Add(end);
        lock (_reports)
        {
            if (!stations.Any(s => _reports.ContainsKey(s.Id))) return points;
            points.Add(new ChartPoint(open, 0));
            foreach (var moment in moments)
            {
                long issued = 0, list = 0;
                foreach (var station in stations)
                {
                    var latest = Latest(station.Id, moment);
                    issued += latest?.Issued ?? 0;
                    list += latest?.OnList ?? station.VotersOnList;
                }
                points.Add(new ChartPoint(moment, Format(issued, list)));
            }
        }
        return points;
    }

    /// <summary>A station's newest report (ballots issued, list size with the annex); null if none yet.</summary>
    public (int Issued, int OnList)? LatestOf(StationDefinition station)
    {
        lock (_reports)
            return Latest(station.Id, DateTimeOffset.MaxValue) is { } r ? (r.Issued, r.OnList ?? station.VotersOnList) : null;
    }

    private Report? Latest(string stationId, DateTimeOffset asOf)
    {
        if (!_reports.TryGetValue(stationId, out var list)) return null;
        Report? best = null;
        foreach (var r in list)
            if (r.AsOf <= asOf && (best is null || r.AsOf > best.Value.AsOf || (r.AsOf == best.Value.AsOf && r.Seq > best.Value.Seq))) best = r;
        return best;
    }

    private static double Format(long issued, long list) => list <= 0 ? 0 : Math.Round(100.0 * issued / list, 2);
}
