using Portal.Grains.Model;
using Portal.Search.Documents;

namespace Portal.Ingest.Search;

/// <summary>Maps the election definition (api.md section 1 "Election definition") to search documents: every candidate and every polling station.</summary>
public static class ElectionSearchDocuments
{
    public static IEnumerable<SearchDocument> Map(ElectionDefinition election)
    {
        var regions = election.Regions.ToDictionary(r => r.Id, r => (IReadOnlyDictionary<string, string>)r.Name, StringComparer.Ordinal);
        var parties = election.Parties.ToDictionary(p => p.Id, p => (IReadOnlyDictionary<string, string>)p.Name, StringComparer.Ordinal);
        var constituencyNames = new Dictionary<(string, string), IReadOnlyDictionary<string, string>>();

        foreach (var contest in election.Contests)
            foreach (var constituency in contest.Constituencies)
            {
                constituencyNames[(contest.Id, constituency.Id)] = constituency.Name;
                foreach (var candidate in constituency.Candidates)
                {
                    yield return new CandidateDocument
                    {
                        Id = candidate.Id,
                        Name = candidate.Name,
                        NameForms = candidate.NameForms ?? [],
                        PartyId = candidate.Party,
                        Party = parties.GetValueOrDefault(candidate.Party) ?? new Dictionary<string, string> { ["uz"] = candidate.Party },
                        ContestId = contest.Id,
                        Contest = contest.Name,
                        ConstituencyId = constituency.Id,
                        Constituency = constituency.Name,
                        RegionId = constituency.RegionId,
                        Region = regions.GetValueOrDefault(constituency.RegionId) ?? new Dictionary<string, string>(),
                        Url = ConstituencyUrl(contest.Id, constituency.Id),
                    };
                }
            }

        foreach (var station in election.Stations)
        {
            yield return new StationDocument
            {
                Id = station.Id,
                Number = station.Number,
                Address = station.Address,
                AddressForms = station.AddressForms ?? [],
                VotersOnList = station.VotersOnList,
                RegionId = station.RegionId,
                Region = regions.GetValueOrDefault(station.RegionId) ?? new Dictionary<string, string>(),
                Constituencies = [.. station.Constituencies.Select(pair => new StationConstituency(
                    pair.Key, pair.Value, constituencyNames.GetValueOrDefault((pair.Key, pair.Value)) ?? new Dictionary<string, string>()))],
                Url = StationUrl(station.Id),
            };
        }
    }

    /// <summary>The stable page addresses of api.md section 5 "Public page addresses".</summary>
    public static string StationUrl(string stationId) => $"/stations/{Uri.EscapeDataString(stationId)}";

    public static string ConstituencyUrl(string contestId, string constituencyId) =>
        $"/contests/{Uri.EscapeDataString(contestId)}/constituencies/{Uri.EscapeDataString(constituencyId)}";

    /// <summary>A decision's page (not in api.md section 5 "Public page addresses" yet: the Portal should serve it).</summary>
    public static string DecisionUrl(string decisionId) => $"/decisions/{Uri.EscapeDataString(decisionId)}";
}
