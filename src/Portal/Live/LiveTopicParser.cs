using Portal.Grains.Abstractions;
using Portal.Grains.Model;

namespace Portal.Live;

public enum LiveTopicKind { Election, Constituency, Station, Cameras, Region }

public sealed record LiveTopic(LiveTopicKind Kind, string Name, string ElectionId, string? ContestId, string? ConstituencyId, string? StationId)
{
    public string? RegionId { get; init; }
}

/// <summary>Accepts only the topics of api.md section 4 "Live hub" that name something in this election.</summary>
public static class LiveTopicParser
{
    public const int MaxTopicLength = 256;

    public static LiveTopic? Parse(string? topic, ElectionCatalog catalog)
    {
        if (string.IsNullOrEmpty(topic) || topic.Length > MaxTopicLength) return null;
        var parts = topic.Split(':');
        var electionId = catalog.Election.Id;
        switch (parts)
        {
            case ["election", var e] when e == electionId:
                return new LiveTopic(LiveTopicKind.Election, LiveTopics.Election(e), e, null, null, null);
            case ["constituency", var e, var contest, var id] when e == electionId && catalog.FindConstituency(contest, id) is not null:
                return new LiveTopic(LiveTopicKind.Constituency, LiveTopics.Constituency(e, contest, id), e, contest, id, null);
            case ["cameras", var e] when e == electionId:
                return new LiveTopic(LiveTopicKind.Cameras, LiveTopics.Cameras(e), e, null, null, null);
            case ["station", var e, var station] when e == electionId && catalog.FindStation(station) is not null:
                return new LiveTopic(LiveTopicKind.Station, LiveTopics.Station(e, station), e, null, null, station);
            case ["region", var e, var region] when e == electionId && catalog.Election.Regions.Any(r => r.Id == region):
                return new LiveTopic(LiveTopicKind.Region, LiveAreaFeed.RegionTopic(e, region), e, null, null, null) { RegionId = region };
            default:
                return null;
        }
    }
}
