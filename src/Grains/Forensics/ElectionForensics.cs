using Portal.Grains.Abstractions;
using Portal.Grains.Counting;
using Portal.Grains.Ledger;
using Portal.Grains.Model;
using Portal.Grains.Results;

namespace Portal.Grains.Forensics;

/// <summary>
/// The statistics for observers of one election as a function of its ledger entries (in sequence order): the latest
/// version of each station's protocol per contest, invalidations, the turnout reports, camera outages (the camera-state
/// entries). Each protocol's figures are computed once as it arrives (<see cref="StationFigures"/>); a report is then one
/// pass of sums over the selection's stations. Volunteer counts of ballot-box video come from the counting grain
/// (<see cref="SetCounting"/>), judged against the ledger's turnout reports. Not thread-safe: its grain calls it one at a time.
/// </summary>
public sealed class ElectionForensics
{
    /// <summary>The fingerprint's bin (contract: 1 %).</summary>
    public const int FingerprintBinPercent = 1;

    /// <summary>The histograms' resolution: 0.1 % bins, fine enough for whole-number spikes to stand out.</summary>
    public const int HistogramBins = 1000;

    private readonly ElectionCatalog _catalog;
    private readonly ElectionClock _clock;
    private readonly Dictionary<string, StationTrack> _stations = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Contest, string Constituency), Dictionary<string, string>> _parties = [];
    private readonly Dictionary<(string Contest, string? Region, string? Constituency), List<StationTrack>> _selections = [];

    public ElectionForensics(ElectionCatalog catalog, ElectionClock clock)
    {
        _catalog = catalog;
        _clock = clock;
        foreach (var station in catalog.Stations.OrderBy(s => s.Number)) _stations[station.Id] = new StationTrack(station);
        foreach (var contest in catalog.Election.Contests)
            foreach (var constituency in contest.Constituencies)
                _parties[(contest.Id, constituency.Id)] = constituency.Candidates.ToDictionary(c => c.Id, c => c.Party, StringComparer.Ordinal);
    }

    /// <summary>The last ledger sequence applied.</summary>
    public long LedgerSeq { get; private set; }

    /// <summary>Grows with every change that can move a statistic.</summary>
    public long Revision { get; private set; }

    public void Apply(LedgerEntry entry)
    {
        if (entry.Seq > LedgerSeq) LedgerSeq = entry.Seq;
        if (!_stations.TryGetValue(entry.StationId, out var track)) return;
        switch (entry.Kind)
        {
            case LedgerKinds.Protocol:
            {
                var (p, version) = LedgerPayloads.ParseProtocol(entry.Payload);
                if (!track.Station.Constituencies.TryGetValue(p.ContestId, out var constituency)) return;
                var contest = track.Contest(p.ContestId);
                if (contest.Figures is { } held && held.Version >= version) return;
                contest.Figures = new StationFigures(p, version, _parties.GetValueOrDefault((p.ContestId, constituency)) ?? []);
                Revision++;
                return;
            }
            case LedgerKinds.Invalidation:
            {
                var i = LedgerPayloads.ParseInvalidation(entry.Payload);
                if (!track.Station.Constituencies.ContainsKey(i.ContestId)) return;
                track.Contest(i.ContestId).Invalidated = i.Invalidated;
                Revision++;
                return;
            }
            case LedgerKinds.CameraState:
            {
                // The public record of camera outages, the one the station page shows: it survives restarts, a grain's memory does not.
                var r = CameraStatePayload.Parse(entry.Payload);
                if (!track.Station.Cameras.Any(c => c.Id == r.CameraId && c.Enabled)) return;
                AddCameraChange(track.Camera(r.CameraId), new CameraStateChange(r.State, r.At, null));
                Revision++;
                return;
            }
            case LedgerKinds.Turnout:
            {
                var (t, _) = LedgerPayloads.ParseTurnout(entry.Payload);
                // The station grain's rule: a report accepted before the plausibility rules is never published, nor judged.
                if (!PlausibilityRules.IsPublishable(t.AsOf, t.VotersIssuedBallots, t.VotersOnList, track.Station, _catalog.Election, _clock.Now)) return;
                var list = t.VotersOnList ?? track.Station.VotersOnList;
                track.AddTurnout(t.AsOf, entry.Seq, t.VotersIssuedBallots, list == 0 ? 0 : 100.0 * t.VotersIssuedBallots / list);
                Revision++;
                return;
            }
        }
    }

    /// <summary>
    /// A station's published volunteer counts per reporting window (the counting grain's figures); true when they differ
    /// from what the model held. Windows nobody counted may be left out.
    /// </summary>
    public bool SetCounting(StationCounting counting)
    {
        if (!_stations.TryGetValue(counting.StationId, out var track)) return false;
        if (track.Counting is { } held && held.SequenceEqual(counting.Windows)) return false;
        track.SetCounting(counting.Windows);
        Revision++;
        return true;
    }

    /// <summary>A recorded change at the gateway's time (real time), kept in election time.</summary>
    private void AddCameraChange(List<CameraStateChange> changes, CameraStateChange change) =>
        changes.Add(change with { At = _clock.ElectionTimeOf(change.At) });

    /// <summary>The outage windows of the station's cameras between polls open and close (or now, if earlier), in election time.</summary>
    public IReadOnlyList<CameraOutage> OutagesOf(string stationId) =>
        _stations.TryGetValue(stationId, out var track) ? Outages(track) : [];

    private List<CameraOutage> Outages(StationTrack track)
    {
        if (track.Cameras is null) return [];
        var (open, close) = (_catalog.Election.PollsOpen, _catalog.Election.PollsClose);
        var now = _clock.Now;
        var until = now < close ? now : close;
        return [.. track.Cameras.SelectMany(kv => FlagRules.Outages(kv.Key, kv.Value, open, until)).OrderBy(o => o.From)];
    }

    public ForensicsReport Report(string contestId, string? regionId, string? constituencyId)
    {
        var stations = Selection(contestId, regionId, constituencyId);
        var open = _clock.ResultsArePublic;
        var flags = new List<StationFlag>();
        if (!open)
        {
            foreach (var track in stations)
                if (Codes(track, contestId, open: false, null) is { } codes)
                    flags.Add(new StationFlag(track.Station.Id, codes, track.Station.Number, track.Station.Constituencies[contestId], null, null, null));
            return new ForensicsReport(_catalog.Election.Id, contestId, regionId, constituencyId, false, stations.Count, null, null, null, null, null,
                flags, null, null, LedgerSeq, _clock.Now);
        }

        var leader = LeadingParty(stations, contestId);
        const int bins = 100 / FingerprintBinPercent;
        var cellStations = new long[bins * bins];
        var cellVoters = new long[bins * bins];
        var turnoutHistogram = new int[HistogramBins];
        var shareHistogram = new int[HistogramBins];
        var turnoutChances = new List<double>(stations.Count);
        var shareChances = new List<double>(stations.Count);
        int turnoutWhole = 0, shareWhole = 0, reported = 0;
        var digits = new long[10];
        var invalidated = new List<string>();
        foreach (var track in stations)
        {
            var contest = track.ContestOrNull(contestId);
            if (contest?.Invalidated == true) invalidated.Add(track.Station.Id);
            var f = contest is { Invalidated: false } ? contest.Figures : null;
            if (f is not null)
            {
                reported++;
                turnoutHistogram[Bin(f.VotersIssuedBallots, f.VotersOnList, HistogramBins)]++;
                if (f.TurnoutWhole is { } whole)
                {
                    turnoutChances.Add(f.TurnoutWholeProbability);
                    if (whole) turnoutWhole++;
                }
                for (var d = 0; d < 10; d++) digits[d] += f.LastDigits[d];
                if (leader is not null && f.ValidVotes > 0 && f.PartyVotes.TryGetValue(leader, out var votes))
                {
                    shareHistogram[Bin(votes, f.ValidVotes, HistogramBins)]++;
                    var cell = Bin(f.VotersIssuedBallots, f.VotersOnList, bins) * bins + Bin(votes, f.ValidVotes, bins);
                    cellStations[cell]++;
                    cellVoters[cell] += f.VotersIssuedBallots;
                    if (f.LeaderWhole(leader) is { } lw)
                    {
                        shareChances.Add(lw.Probability);
                        if (lw.Whole) shareWhole++;
                    }
                }
            }
            if (Codes(track, contestId, open: true, leader) is { } codes)
                flags.Add(new StationFlag(track.Station.Id, codes, track.Station.Number, track.Station.Constituencies[contestId],
                    f is null ? null : Math.Round(f.TurnoutPercent, 2), f is null || leader is null ? null : Round(f.ShareOf(leader)), f?.Version));
        }
        var cells = new List<long[]>();
        for (var i = 0; i < cellStations.Length; i++)
            if (cellStations[i] > 0) cells.Add([i / bins * FingerprintBinPercent, i % bins * FingerprintBinPercent, cellStations[i], cellVoters[i]]);
        var (chi, chiP) = ForensicMath.UniformChiSquare(digits);
        return new ForensicsReport(_catalog.Election.Id, contestId, regionId, constituencyId, true, stations.Count, reported, leader,
            new Fingerprint(FingerprintBinPercent, cells),
            new IntegerPercentTests(Test(turnoutChances, turnoutWhole), leader is null ? null : Test(shareChances, shareWhole)),
            new LastDigitTest(digits.Sum(), digits, Math.Round(chi, 3), chiP),
            flags, invalidated, new PercentHistograms(100.0 / HistogramBins, turnoutHistogram, shareHistogram), LedgerSeq, _clock.Now);
    }

    /// <summary>Every station of the contest: status, turnout and the national leading party's share (after close), codes.</summary>
    public IReadOnlyList<ForensicsStationRow> StationRows(string contestId)
    {
        var stations = Selection(contestId, null, null);
        var open = _clock.ResultsArePublic;
        var leader = open ? LeadingParty(stations, contestId) : null;
        return [.. stations.Select(track =>
        {
            var contest = track.ContestOrNull(contestId);
            var f = open && contest is { Invalidated: false } ? contest.Figures : null;
            var status = !open ? "embargoed" : contest?.Invalidated == true ? "invalidated" : contest?.Figures is null ? "missing" : "reported";
            return new ForensicsStationRow(track.Station.Id, track.Station.Number, track.Station.RegionId, track.Station.Constituencies[contestId], status,
                open ? contest?.Figures?.Version : null, f is null ? null : Math.Round(f.TurnoutPercent, 2),
                f is null || leader is null ? null : Round(f.ShareOf(leader)), Codes(track, contestId, open, leader) ?? []);
        })];
    }

    /// <summary>The leading party of the contest nationally (the CSV's leader), null before close or before any protocol.</summary>
    public string? NationalLeadingParty(string contestId) =>
        _clock.ResultsArePublic ? LeadingParty(Selection(contestId, null, null), contestId) : null;

    /// <summary>The codes that apply to the station, or null if none (most stations: no list for them).</summary>
    private List<string>? Codes(StationTrack track, string contestId, bool open, string? leader)
    {
        List<string>? codes = null;
        void Add(string code) => (codes ??= []).Add(code);
        var contest = track.ContestOrNull(contestId);
        var f = open && contest is { Invalidated: false } ? contest.Figures : null;
        if (f is not null && f.TurnoutPercent > FlagRules.TurnoutOver) Add(FlagCodes.TurnoutOver95);
        if (f is not null && leader is not null && f.ShareOf(leader) > FlagRules.LeaderOver) Add(FlagCodes.LeaderOver90);
        if (track.LargestJump > FlagRules.TurnoutJumpPoints) Add(FlagCodes.TurnoutJump);
        if (track.Cameras is not null && FlagRules.CameraOfflineWhileVoting(Outages(track))) Add(FlagCodes.CameraOffline);
        if (track.CountBelowOfficial) Add(FlagCodes.VideoCountBelowOfficial);
        if (f?.TurnoutWhole == true) Add(FlagCodes.IntegerTurnout);
        if (f is not null && leader is not null && f.LeaderWhole(leader)?.Whole == true) Add(FlagCodes.IntegerLeaderShare);
        if (open && contest?.Figures is { Version: > 1 }) Add(FlagCodes.Corrected);
        if (open && contest?.Invalidated == true) Add(FlagCodes.Invalidated);
        return codes;
    }

    private static string? LeadingParty(List<StationTrack> stations, string contestId)
    {
        var votes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var track in stations)
            if (track.ContestOrNull(contestId) is { Invalidated: false, Figures: { } f })
                foreach (var (party, v) in f.PartyVotes) votes[party] = votes.GetValueOrDefault(party) + v;
        return votes.Count == 0 ? null : votes.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).First().Key;
    }

    private static WholePercentTest Test(List<double> chances, int observed) =>
        new(observed, Math.Round(chances.Sum(), 2), ForensicMath.UpperTail(chances, observed), chances.Count);

    /// <summary>The bin of count/n among <paramref name="bins"/> equal bins of 0..100 %, 100 % in the last; integer arithmetic, so exact.</summary>
    public static int Bin(long count, long n, int bins) => n <= 0 ? 0 : (int)Math.Clamp(bins * count / n, 0, bins - 1);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;

    private List<StationTrack> Selection(string contestId, string? regionId, string? constituencyId)
    {
        var key = (contestId, regionId, constituencyId);
        if (!_selections.TryGetValue(key, out var list))
            _selections[key] = list = [.. _stations.Values.Where(t =>
                t.Station.Constituencies.TryGetValue(contestId, out var c) && (constituencyId is null || c == constituencyId)
                && (regionId is null || t.Station.RegionId == regionId))];
        return list;
    }

    private sealed class StationTrack(StationDefinition station)
    {
        private Dictionary<string, ContestTrack>? _contests;
        private List<(DateTimeOffset AsOf, long Seq, int Issued, double Percent)>? _turnout;

        public StationDefinition Station { get; } = station;
        public Dictionary<string, List<CameraStateChange>>? Cameras { get; private set; }
        public double LargestJump { get; private set; }
        public IReadOnlyList<WindowCount>? Counting { get; private set; }

        /// <summary>The counting flag, judged again whenever the counts or the turnout reports change (not on every report).</summary>
        public bool CountBelowOfficial { get; private set; }

        public void SetCounting(IReadOnlyList<WindowCount> windows)
        {
            Counting = windows;
            JudgeCounting();
        }

        private void JudgeCounting() =>
            CountBelowOfficial = Counting is not null && _turnout is not null
                && CountingFlags.AnyWindowBelowOfficial(Counting, [.. _turnout.Select(t => new OfficialReport(t.AsOf, t.Seq, t.Issued))]);

        public ContestTrack Contest(string contestId)
        {
            _contests ??= new Dictionary<string, ContestTrack>(StringComparer.Ordinal);
            if (!_contests.TryGetValue(contestId, out var track)) _contests[contestId] = track = new ContestTrack();
            return track;
        }

        public ContestTrack? ContestOrNull(string contestId) => _contests?.GetValueOrDefault(contestId);

        public List<CameraStateChange> Camera(string cameraId)
        {
            Cameras ??= new Dictionary<string, List<CameraStateChange>>(StringComparer.Ordinal);
            if (!Cameras.TryGetValue(cameraId, out var list)) Cameras[cameraId] = list = [];
            return list;
        }

        /// <summary>Reports in asOf order (a late report of an earlier hour goes between its neighbours).</summary>
        public void AddTurnout(DateTimeOffset asOf, long seq, int issued, double percent)
        {
            _turnout ??= [];
            var at = _turnout.FindLastIndex(t => t.AsOf < asOf || (t.AsOf == asOf && t.Seq < seq)) + 1;
            _turnout.Insert(at, (asOf, seq, issued, percent));
            LargestJump = FlagRules.LargestTurnoutJump([.. _turnout.Select(t => (t.AsOf, t.Percent))]);
            if (Counting is not null) JudgeCounting();
        }
    }

    private sealed class ContestTrack
    {
        public StationFigures? Figures { get; set; }
        public bool Invalidated { get; set; }
    }
}
