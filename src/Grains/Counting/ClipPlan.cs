using System.Globalization;
using Portal.Grains.Model;

namespace Portal.Grains.Counting;

/// <summary>One clip of a ballot-box camera's voting day, in election time. Clips never cross a reporting window.</summary>
[GenerateSerializer, Immutable, Alias("portal.CountClip")]
public sealed record CountClip(
    [property: Id(0)] string Id, [property: Id(1)] string CameraId, [property: Id(2)] string StationId,
    [property: Id(3)] int Window, [property: Id(4)] DateTimeOffset Start, [property: Id(5)] DateTimeOffset End)
{
    public TimeSpan Length => End - Start;
}

/// <summary>An official reporting window (08-10, 10-12, ... 18-20 local): between two turnout reports.</summary>
public sealed record ReportingWindow(int Index, DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// Cuts the voting day of every ballot-box camera into clips aligned to the reporting windows. Pure and deterministic
/// from the definition and the clip length, so every node, the demo scene and the tests agree on the same clips.
/// </summary>
public sealed class ClipPlan
{
    public static readonly TimeSpan WindowLength = TimeSpan.FromHours(2);
    private readonly Dictionary<string, CountClip> _clips = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CountClip>> _byCamera = new(StringComparer.Ordinal);

    public ClipPlan(ElectionCatalog catalog, int clipMinutes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clipMinutes, 1);
        ClipLength = TimeSpan.FromMinutes(clipMinutes);
        var election = catalog.Election;
        var windows = new List<ReportingWindow>();
        for (var start = election.PollsOpen; start < election.PollsClose; start += WindowLength)
        {
            var end = start + WindowLength < election.PollsClose ? start + WindowLength : election.PollsClose;
            windows.Add(new ReportingWindow(windows.Count, start.ToOffset(catalog.TimeZone.GetUtcOffset(start)), end.ToOffset(catalog.TimeZone.GetUtcOffset(end))));
        }
        Windows = windows;
        foreach (var station in catalog.Stations.OrderBy(s => s.Number))
            foreach (var camera in station.Cameras.Where(c => c.Enabled && c.SeesBallotBox))
            {
                var list = new List<CountClip>();
                foreach (var window in windows)
                    for (var start = window.Start; start < window.End; start += ClipLength)
                    {
                        var end = start + ClipLength < window.End ? start + ClipLength : window.End;
                        var clip = new CountClip(ClipId(camera.Id, start), camera.Id, station.Id, window.Index, start, end);
                        list.Add(clip);
                        _clips[clip.Id] = clip;
                    }
                _byCamera[camera.Id] = list;
            }
    }

    public TimeSpan ClipLength { get; }
    public IReadOnlyList<ReportingWindow> Windows { get; }
    public IEnumerable<CountClip> Clips => _byCamera.Values.SelectMany(c => c);
    public IReadOnlyList<CountClip> ClipsOf(string cameraId) => _byCamera.TryGetValue(cameraId, out var list) ? list : [];
    public CountClip? Find(string clipId) => _clips.GetValueOrDefault(clipId);

    /// <summary>Camera ids hold no '.', so "{cameraId}.{HHmm}" is unambiguous and URL-safe.</summary>
    public static string ClipId(string cameraId, DateTimeOffset start) =>
        $"{cameraId}.{start.ToString("HHmm", CultureInfo.InvariantCulture)}";
}
