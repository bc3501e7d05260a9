namespace Portal.Grains.Model;

/// <summary>Checks an election definition against the contract and the Election Code; reports every error with its path.</summary>
public static class ElectionDefinitionValidator
{
    /// <summary>Art. 10: a polling station has from 20 to 3,000 voters.</summary>
    public const int MinVotersOnList = 20;
    public const int MaxVotersOnList = 3000;

    public static IReadOnlyList<DefinitionError> Validate(ElectionDefinition election)
    {
        var errors = new List<DefinitionError>();
        void Error(string path, string message) => errors.Add(new DefinitionError(path, message));

        if (string.IsNullOrWhiteSpace(election.Id)) Error("id", "is required");
        if (election.Name.Count == 0) Error("name", "needs at least one language");
        if (!IsKnownTimeZone(election.TimeZone)) Error("timeZone", $"unknown time zone \"{election.TimeZone}\"");
        if (election.PollsOpen == default) Error("pollsOpen", "is required");
        if (election.PollsClose <= election.PollsOpen) Error("pollsClose", "must be after pollsOpen");

        var parties = UniqueIds(election.Parties, p => p.Id, "parties", Error);
        var regions = UniqueIds(election.Regions, r => r.Id, "regions", Error);
        if (regions.Count == 0) Error("regions", "needs at least one region");

        var contests = UniqueIds(election.Contests, c => c.Id, "contests", Error);
        if (contests.Count == 0) Error("contests", "needs at least one contest");
        var constituenciesByContest = new Dictionary<string, HashSet<string>>();
        var candidateIds = new HashSet<string>(StringComparer.Ordinal);
        for (var ci = 0; ci < election.Contests.Count; ci++)
        {
            var contest = election.Contests[ci];
            var path = $"contests[{ci}]";
            if (string.IsNullOrWhiteSpace(contest.Kind)) Error($"{path}.kind", "is required");
            var ids = UniqueIds(contest.Constituencies, k => k.Id, $"{path}.constituencies", Error);
            constituenciesByContest[contest.Id] = ids;
            for (var ki = 0; ki < contest.Constituencies.Count; ki++)
            {
                var constituency = contest.Constituencies[ki];
                var kpath = $"{path}.constituencies[{ki}]";
                if (!regions.Contains(constituency.RegionId))
                    Error($"{kpath}.regionId", $"unknown region \"{constituency.RegionId}\"");
                if (constituency.Candidates.Count == 0) Error($"{kpath}.candidates", "needs at least one candidate");
                for (var ni = 0; ni < constituency.Candidates.Count; ni++)
                {
                    var candidate = constituency.Candidates[ni];
                    var npath = $"{kpath}.candidates[{ni}]";
                    if (string.IsNullOrWhiteSpace(candidate.Id)) Error($"{npath}.id", "is required");
                    else if (!candidateIds.Add(candidate.Id)) Error($"{npath}.id", $"duplicate id \"{candidate.Id}\"");
                    if (string.IsNullOrWhiteSpace(candidate.Name)) Error($"{npath}.name", "is required");
                    if (parties.Count > 0 && !string.IsNullOrEmpty(candidate.Party) && !parties.Contains(candidate.Party))
                        Error($"{npath}.party", $"unknown party \"{candidate.Party}\"");
                }
            }
        }

        UniqueIds(election.Stations, s => s.Id, "stations", Error);
        var stationNumbers = new HashSet<int>();
        var cameraIds = new HashSet<string>(StringComparer.Ordinal);
        for (var si = 0; si < election.Stations.Count; si++)
        {
            var station = election.Stations[si];
            var path = $"stations[{si}]";
            if (station.Number <= 0) Error($"{path}.number", "must be a positive number");
            else if (!stationNumbers.Add(station.Number)) Error($"{path}.number", $"duplicate number {station.Number}");
            if (!regions.Contains(station.RegionId)) Error($"{path}.regionId", $"unknown region \"{station.RegionId}\"");
            if (station.VotersOnList is < MinVotersOnList or > MaxVotersOnList)
                Error($"{path}.votersOnList", $"{station.VotersOnList} is outside {MinVotersOnList}..{MaxVotersOnList} (Art. 10)");
            foreach (var contest in election.Contests)
                if (!station.Constituencies.ContainsKey(contest.Id))
                    Error($"{path}.constituencies.{contest.Id}", "missing: a station belongs to one constituency in every contest");
            foreach (var (contestId, constituencyId) in station.Constituencies)
            {
                if (!constituenciesByContest.TryGetValue(contestId, out var known))
                    Error($"{path}.constituencies.{contestId}", $"unknown contest \"{contestId}\"");
                else if (!known.Contains(constituencyId))
                    Error($"{path}.constituencies.{contestId}", $"unknown constituency \"{constituencyId}\"");
            }
            for (var mi = 0; mi < station.Cameras.Count; mi++)
            {
                var camera = station.Cameras[mi];
                var mpath = $"{path}.cameras[{mi}]";
                if (!CameraIds.IsValid(camera.Id)) Error($"{mpath}.id", $"\"{camera.Id}\" is not a camera id (letters, digits, '-', '_', 1..64)");
                else if (!cameraIds.Add(camera.Id)) Error($"{mpath}.id", $"duplicate id \"{camera.Id}\"");
                // The source is a secret: the message names the problem, never the value.
                if (!CameraSources.IsValid(camera.Source)) Error($"{mpath}.source", "must be an rtsp:// URL, \"listen\" or \"demo\"");
                if (!CameraViews.IsValid(camera.View)) Error($"{mpath}.view", $"must be \"{CameraViews.Room}\" or \"{CameraViews.BallotBox}\"");
                for (var ri = 0; ri < (camera.Mask?.Count ?? 0); ri++)
                {
                    var r = camera.Mask![ri];
                    if (r.X < 0 || r.Y < 0 || r.Width <= 0 || r.Height <= 0 || r.X + r.Width > 1 || r.Y + r.Height > 1)
                        Error($"{mpath}.mask[{ri}]", "must lie inside the picture (fractions 0..1)");
                }
            }
        }
        return errors;
    }

    private static HashSet<string> UniqueIds<T>(List<T> items, Func<T, string> id, string path, Action<string, string> error)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var value = id(items[i]);
            if (string.IsNullOrWhiteSpace(value)) error($"{path}[{i}].id", "is required");
            else if (!seen.Add(value)) error($"{path}[{i}].id", $"duplicate id \"{value}\"");
        }
        return seen;
    }

    private static bool IsKnownTimeZone(string id)
    {
        try { TimeZoneInfo.FindSystemTimeZoneById(id); return true; }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException) { return false; }
    }
}

/// <summary>The rules for camera ids: they become URL path segments and folder names, so they are kept plain.</summary>
/// <summary>
/// The one camera-id rule, for the definition and for the gateway, whose file names and public addresses carry the id:
/// ASCII letters, digits, '-' and '_', 1 to 64 characters. No '.', so no id is "." or ".." or names a file type.
/// </summary>
public static class CameraIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

public static class CameraSources
{
    public const string Listen = "listen";
    public const string Demo = "demo";

    public static bool IsValid(string? source) =>
        source is Listen or Demo
        || (Uri.TryCreate(source, UriKind.Absolute, out var uri) && uri.Scheme == "rtsp" && !string.IsNullOrEmpty(uri.Host));
}
