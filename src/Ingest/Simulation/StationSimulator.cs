using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Grains.Demo;
using Portal.Grains.Model;

namespace Portal.Ingest.Simulation;

/// <summary>
/// Plays the polling stations' devices against the real HTTP API with their private keys: turnout at the official hours
/// on the election clock, then protocols after close with a few corrections and a few late stations. Submission ids and
/// figures are derived from the seed, so a restarted simulator resends the same content (answered 200) instead of new data.
/// </summary>
public sealed partial class StationSimulator(
    IServiceProvider services, ElectionCatalog catalog, ElectionClock clock, IOptions<SimulatorOptions> options,
    IHostApplicationLifetime lifetime, ILogger<StationSimulator> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!await WaitForStartAsync(stoppingToken)) return;
        var keys = StationClient.Index(StationKeyFiles.ReadPrivate(o.PrivateKeysPath!));
        using var http = new HttpClient { BaseAddress = new Uri(BaseUrl(o)), Timeout = TimeSpan.FromSeconds(30) };
        var client = new StationClient(http, keys);
        var stations = catalog.Stations.Where(s => keys.ContainsKey(s.Id)).OrderBy(s => s.Number).ToList();
        LogStarting(o.Mode, stations.Count, clock.Speed);
        try
        {
            if (o.Mode == "load")
            {
                await WaitUntilAsync(catalog.Election.PollsClose, stoppingToken);
                var report = await LoadDriver.RunAsync(client, [.. stations.SelectMany(s => Protocols(s, o.Seed, version: 1))], o.Concurrency, cancellationToken: stoppingToken);
                LogLoad(report.Acknowledged, report.Rejected, report.PerSecond);
                return;
            }
            await PlayDayAsync(client, stations, o, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PlayDayAsync(StationClient client, List<StationDefinition> stations, SimulatorOptions o, CancellationToken ct)
    {
        var day = catalog.Election.PollsOpen;
        foreach (var (hour, _) in ProtocolFactory.TurnoutCurve)
        {
            var at = day.AddHours(hour - day.ToOffset(catalog.TimeZone.GetUtcOffset(day)).Hour);
            await WaitUntilAsync(at, ct);
            var items = stations.Select(s => new LoadItem(s.Id, "turnout", StationClient.Serialize(Turnout(s, o.Seed, hour, at)))).ToList();
            var report = await LoadDriver.RunAsync(client, items, o.Concurrency, cancellationToken: ct);
            LogTurnout(hour, report.Acknowledged, report.Rejected);
        }
        var close = catalog.Election.PollsClose;
        var random = new Random(o.Seed);
        var late = stations.Where(_ => random.NextDouble() * 100 < o.LatePercent).Select(s => s.Id).ToHashSet();
        var corrected = stations.Where(s => !late.Contains(s.Id) && random.NextDouble() * 100 < o.CorrectionPercent).ToList();
        // Counting takes an hour or two: protocols arrive spread over 20:30-22:30 election time.
        var onTime = stations.Where(s => !late.Contains(s.Id)).OrderBy(s => Stable(s.Id, o.Seed)).ToList();
        const int waves = 8;
        for (var w = 0; w < waves; w++)
        {
            await WaitUntilAsync(close.AddMinutes(30 + w * 15), ct);
            var wave = onTime.Where((_, i) => i % waves == w).SelectMany(s => Protocols(s, o.Seed, version: 1)).ToList();
            var report = await LoadDriver.RunAsync(client, wave, o.Concurrency, cancellationToken: ct);
            LogProtocols(w + 1, waves, report.Acknowledged, report.Rejected);
        }
        await WaitUntilAsync(close.AddHours(3), ct);
        var fixes = await LoadDriver.RunAsync(client, [.. corrected.SelectMany(s => Protocols(s, o.Seed, version: 2))], o.Concurrency, cancellationToken: ct);
        LogCorrections(fixes.Acknowledged, fixes.Rejected);
        await WaitUntilAsync(close.AddHours(3.5), ct);
        var lates = await LoadDriver.RunAsync(client, [.. stations.Where(s => late.Contains(s.Id)).SelectMany(s => Protocols(s, o.Seed, version: 1))], o.Concurrency, cancellationToken: ct);
        LogLate(lates.Acknowledged, lates.Rejected);
    }

    private Dictionary<string, object?> Turnout(StationDefinition s, int seed, int hour, DateTimeOffset at)
    {
        var final = DemoTurnout.FinalTurnout(s, seed);
        var manipulation = ManipulationOf(s, seed);
        // A stuffed station's evening: the ballots are added at the end of the day, so its last report jumps.
        if (manipulation == Manipulation.Stuffed && hour == 20) final = 0.97;
        if (manipulation == Manipulation.WholeTurnout) final = ProtocolFactory.WholePercentTurnout(s.VotersOnList, final);
        var issued = DemoTurnout.Issued(s, seed, hour, final);
        return ProtocolFactory.Turnout($"{s.Id}-turnout-{hour}", at.ToOffset(catalog.TimeZone.GetUtcOffset(at)), issued, s.VotersOnList);
    }

    private IEnumerable<LoadItem> Protocols(StationDefinition s, int seed, int version) =>
        Bodies(s, seed, version, manipulated: true).Select(body => new LoadItem(s.Id, "protocols", StationClient.Serialize(body)));

    private IEnumerable<Dictionary<string, object?>> Bodies(StationDefinition s, int seed, int version, bool manipulated)
    {
        var final = ProtocolFactory.FinalTurnout(new Random(Stable(s.Id, seed)));
        var manipulation = manipulated ? ManipulationOf(s, seed) : Manipulation.None;
        if (manipulation == Manipulation.WholeTurnout) final = ProtocolFactory.WholePercentTurnout(s.VotersOnList, final);
        foreach (var (contestId, constituencyId) in s.Constituencies.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var candidates = catalog.FindConstituency(contestId, constituencyId)!.Candidates;
            var random = new Random(Stable(s.Id + "/" + contestId, seed) + version);
            var (id, supersedes) = ($"{s.Id}-{contestId}-v{version}", version > 1 ? $"{s.Id}-{contestId}-v{version - 1}" : null);
            var reason = version > 1 ? CorrectionReasons.Recount : null;
            var favoured = manipulation == Manipulation.Stuffed ? candidates.FirstOrDefault(c => c.Party == FavouredParty(contestId, seed)) : null;
            var body = favoured is not null
                ? ProtocolFactory.Stuffed(random, id, contestId, s.VotersOnList, candidates, favoured.Id, supersedes, reason)
                : ProtocolFactory.Protocol(random, id, contestId, s.VotersOnList, final, candidates, supersedes, reason);
            yield return manipulation == Manipulation.RoundedTallies ? ProtocolFactory.RoundTallies(body) : body;
        }
    }

    private enum Manipulation { None, Stuffed, WholeTurnout, RoundedTallies }

    /// <summary>Which manipulation a station's count gets (options StuffedPercent, WholeTurnoutPercent, RoundedTalliesPercent), stable per station.</summary>
    private Manipulation ManipulationOf(StationDefinition s, int seed)
    {
        var o = options.Value;
        var roll = Stable(s.Id + "/manipulation", seed) % 10_000 / 100.0;
        return roll < o.StuffedPercent ? Manipulation.Stuffed
            : roll < o.StuffedPercent + o.WholeTurnoutPercent ? Manipulation.WholeTurnout
            : roll < o.StuffedPercent + o.WholeTurnoutPercent + o.RoundedTalliesPercent ? Manipulation.RoundedTallies
            : Manipulation.None;
    }

    private readonly Dictionary<string, string?> _favoured = new(StringComparer.Ordinal);

    /// <summary>The party that leads the contest in the honest count: stuffing helps the one already ahead, as it does in life.</summary>
    private string? FavouredParty(string contestId, int seed)
    {
        lock (_favoured)
        {
            if (_favoured.TryGetValue(contestId, out var party)) return party;
            var votes = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var s in catalog.Stations.Where(s => s.Constituencies.ContainsKey(contestId)))
            {
                var candidates = catalog.FindConstituency(contestId, s.Constituencies[contestId])!.Candidates.ToDictionary(c => c.Id, c => c.Party);
                foreach (var body in Bodies(s, seed, 1, manipulated: false).Where(b => (string)b["contestId"]! == contestId))
                    foreach (var (id, v) in (Dictionary<string, int>)body["candidateVotes"]!) votes[candidates[id]] = votes.GetValueOrDefault(candidates[id]) + v;
            }
            return _favoured[contestId] = votes.Count == 0 ? null : votes.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;
        }
    }

    private async Task WaitUntilAsync(DateTimeOffset electionTime, CancellationToken ct)
    {
        // Re-check: the delay is computed from the clock's speed; a short cap keeps it honest.
        TimeSpan delay;
        while ((delay = clock.RealDelayUntil(electionTime)) > TimeSpan.Zero)
            await Task.Delay(delay < TimeSpan.FromSeconds(30) ? delay : TimeSpan.FromSeconds(30), ct);
    }

    private async Task<bool> WaitForStartAsync(CancellationToken ct)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(started.SetResult);
        await Task.WhenAny(started.Task, Task.Delay(Timeout.Infinite, ct));
        return started.Task.IsCompleted;
    }

    private string BaseUrl(SimulatorOptions o)
    {
        if (!string.IsNullOrEmpty(o.BaseUrl)) return o.BaseUrl;
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Simulator:BaseUrl is not set and the host has no listening address");
        return address.Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://127.0.0.1").Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1");
    }

    private static int Stable(string text, int seed) => DemoTurnout.Stable(text, seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Station simulator ({Mode}) starting for {Stations} stations; clock speed {Speed}x")]
    private partial void LogStarting(string mode, int stations, double speed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated turnout at {Hour}:00: {Acknowledged} acknowledged, {Rejected} rejected")]
    private partial void LogTurnout(int hour, int acknowledged, int rejected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated protocols wave {Wave}/{Waves}: {Acknowledged} acknowledged, {Rejected} rejected")]
    private partial void LogProtocols(int wave, int waves, int acknowledged, int rejected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated corrections: {Acknowledged} acknowledged, {Rejected} rejected")]
    private partial void LogCorrections(int acknowledged, int rejected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated late stations: {Acknowledged} acknowledged, {Rejected} rejected")]
    private partial void LogLate(int acknowledged, int rejected);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulated load: {Acknowledged} acknowledged, {Rejected} rejected, {PerSecond:F0}/s")]
    private partial void LogLoad(int acknowledged, int rejected, double perSecond);
}
