using System.Text.Json.Serialization;

namespace Portal.Grains.Model;

/// <summary>The election file of api.md section 1 "Election definition", as read from JSON. Validated by <see cref="ElectionDefinitionValidator"/>.</summary>
public sealed class ElectionDefinition
{
    public string Id { get; set; } = "";
    public Dictionary<string, string> Name { get; set; } = [];
    public string TimeZone { get; set; } = "Asia/Tashkent";
    public DateTimeOffset PollsOpen { get; set; }
    public DateTimeOffset PollsClose { get; set; }

    /// <summary>The registered parties (an addition to the contract; candidates name them by id).</summary>
    public List<PartyDefinition> Parties { get; set; } = [];
    public List<RegionDefinition> Regions { get; set; } = [];
    public List<ContestDefinition> Contests { get; set; } = [];
    public List<StationDefinition> Stations { get; set; } = [];
}

public sealed class PartyDefinition
{
    public string Id { get; set; } = "";
    public Dictionary<string, string> Name { get; set; } = [];
}

public sealed class RegionDefinition
{
    public string Id { get; set; } = "";
    public Dictionary<string, string> Name { get; set; } = [];
}

public sealed class ContestDefinition
{
    public string Id { get; set; } = "";
    public Dictionary<string, string> Name { get; set; } = [];

    /// <summary>legislative, regional-council, district-council, city-council.</summary>
    public string Kind { get; set; } = "";
    public List<ConstituencyDefinition> Constituencies { get; set; } = [];
}

public sealed class ConstituencyDefinition
{
    public string Id { get; set; } = "";
    public string RegionId { get; set; } = "";
    public Dictionary<string, string> Name { get; set; } = [];
    public List<CandidateDefinition> Candidates { get; set; } = [];
}

public sealed class CandidateDefinition
{
    public string Id { get; set; } = "";

    /// <summary>The name as on the ballot (contract: a string).</summary>
    public string Name { get; set; } = "";

    /// <summary>Other script forms of the name, e.g. uz-Cyrl (an addition to the contract).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? NameForms { get; set; }
    public string Party { get; set; } = "";
}

public sealed class StationDefinition
{
    public string Id { get; set; } = "";
    public int Number { get; set; }
    public string RegionId { get; set; } = "";
    public string Address { get; set; } = "";

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? AddressForms { get; set; }
    public int VotersOnList { get; set; }

    /// <summary>contestId -> constituencyId: one constituency per contest.</summary>
    public Dictionary<string, string> Constituencies { get; set; } = [];
    public List<CameraDefinition> Cameras { get; set; } = [];
}

public sealed class CameraDefinition
{
    public string Id { get; set; } = "";

    /// <summary>rtsp://... (pulled), "listen" (pushed to the gateway) or "demo". A secret: never leaves ops.</summary>
    public string Source { get; set; } = "";

    /// <summary>False keeps the camera defined but not streamed (an addition to the contract).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Rectangles to black out (voting booths), as fractions of the picture.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<MaskRectangle>? Mask { get; set; }

    /// <summary>"room" (default) or "ballot-box": a ballot-box camera's video is what volunteers count (docs/counting.md).</summary>
    public string View { get; set; } = CameraViews.Room;

    [JsonIgnore] public bool SeesBallotBox => View == CameraViews.BallotBox;
}

public static class CameraViews
{
    public const string Room = "room";
    public const string BallotBox = "ballot-box";

    public static bool IsValid(string? view) => view is Room or BallotBox;
}

public sealed class MaskRectangle
{
    public double X { get; set; }
    public double Y { get; set; }
    public double Width { get; set; }
    public double Height { get; set; }
}
