namespace Portal.Search.Documents;

/// <summary>
/// What the search engine indexes. Search has its own document types (it references no other project):
/// the host maps its model to these. Localized texts map a culture (uz, uz-Cyrl, ru, en) to text, as in the contract.
/// </summary>
public abstract record SearchDocument
{
    /// <summary>Unique within its type (station id, candidate id, decision id).</summary>
    public required string Id { get; init; }

    public abstract SearchDocumentType Type { get; }

    public string? RegionId { get; init; }

    public IReadOnlyDictionary<string, string> Region { get; init; } = Empty;

    /// <summary>The page a hit links to (e.g. /stations/1-0001).</summary>
    public string? Url { get; init; }

    internal static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}

public sealed record CandidateDocument : SearchDocument
{
    public override SearchDocumentType Type => SearchDocumentType.Candidate;

    /// <summary>The name as on the ballot.</summary>
    public required string Name { get; init; }

    /// <summary>Other script forms of the name (uz-Cyrl, ru).</summary>
    public IReadOnlyDictionary<string, string> NameForms { get; init; } = Empty;
    public string PartyId { get; init; } = "";
    public IReadOnlyDictionary<string, string> Party { get; init; } = Empty;
    public string ContestId { get; init; } = "";
    public IReadOnlyDictionary<string, string> Contest { get; init; } = Empty;
    public string ConstituencyId { get; init; } = "";
    public IReadOnlyDictionary<string, string> Constituency { get; init; } = Empty;
}

public sealed record StationDocument : SearchDocument
{
    public override SearchDocumentType Type => SearchDocumentType.Station;
    public required int Number { get; init; }
    public required string Address { get; init; }
    public IReadOnlyDictionary<string, string> AddressForms { get; init; } = Empty;
    public int VotersOnList { get; init; }
    public IReadOnlyList<StationConstituency> Constituencies { get; init; } = [];
}

/// <summary>The constituency a station belongs to in one contest.</summary>
public sealed record StationConstituency(string ContestId, string ConstituencyId, IReadOnlyDictionary<string, string> Name);

/// <summary>A published commission decision (resolution), in the languages it was published in.</summary>
public sealed record DecisionDocument : SearchDocument
{
    public override SearchDocumentType Type => SearchDocumentType.Decision;

    /// <summary>As printed, e.g. "MSK-1325-son".</summary>
    public required string Number { get; init; }
    public required DateOnly Date { get; init; }
    public string CommissionId { get; init; } = "";
    public IReadOnlyDictionary<string, string> Commission { get; init; } = Empty;
    public required IReadOnlyDictionary<string, string> Title { get; init; }
    public required IReadOnlyDictionary<string, string> Body { get; init; }
}
