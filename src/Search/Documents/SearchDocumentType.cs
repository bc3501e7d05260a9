using System.Text.Json.Serialization;

namespace Portal.Search.Documents;

[JsonConverter(typeof(JsonStringEnumConverter<SearchDocumentType>))]
public enum SearchDocumentType
{
    [JsonStringEnumMemberName("candidate")] Candidate = 0,
    [JsonStringEnumMemberName("station")] Station = 1,
    [JsonStringEnumMemberName("decision")] Decision = 2,
}

public static class SearchDocumentTypes
{
    public static readonly IReadOnlyList<SearchDocumentType> All = [SearchDocumentType.Candidate, SearchDocumentType.Station, SearchDocumentType.Decision];

    /// <summary>The wire name (api.md section 3 "Public read API and video": candidate|station|decision).</summary>
    public static string ToWire(this SearchDocumentType type) => type switch
    {
        SearchDocumentType.Candidate => "candidate",
        SearchDocumentType.Station => "station",
        SearchDocumentType.Decision => "decision",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static bool TryParse(string? value, out SearchDocumentType type)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "candidate": type = SearchDocumentType.Candidate; return true;
            case "station": type = SearchDocumentType.Station; return true;
            case "decision": type = SearchDocumentType.Decision; return true;
            default: type = default; return false;
        }
    }
}
