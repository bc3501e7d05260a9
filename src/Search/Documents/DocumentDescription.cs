using System.Globalization;

namespace Portal.Search.Documents;

/// <summary>
/// What a document says, as both backends index it: a title and a body per culture (uz, uz-Cyrl, ru, en), keywords
/// (ids, numbers, other script forms of a name) matched like a title, type-specific details, and a date.
/// </summary>
internal sealed record DocumentDescription(
    Dictionary<string, (string Title, string Body)> Texts, List<string> Keywords, Dictionary<string, string> Details, DateOnly? Date)
{
    /// <summary>type:id, unique across types.</summary>
    public static string KeyOf(SearchDocumentType type, string id) => $"{type.ToWire()}:{id}";

    public static DocumentDescription Describe(SearchDocument source) => source switch
    {
        CandidateDocument c => DescribeCandidate(c),
        StationDocument s => DescribeStation(s),
        DecisionDocument d => DescribeDecision(d),
        _ => throw new ArgumentException($"Unknown document type {source.GetType().Name}.", nameof(source)),
    };

    private static DocumentDescription DescribeCandidate(CandidateDocument c)
    {
        var texts = new Dictionary<string, (string, string)>();
        foreach (var culture in SearchCultures.All)
        {
            var name = culture switch
            {
                "uz" or "en" => c.Name,
                // As the pages show it: a Russian form, else as on the ballot (Uzbek Cyrillic is not Russian).
                "ru" => Pick(c.NameForms, "ru") ?? c.Name,
                _ => Pick(c.NameForms, culture) ?? c.Name,
            };
            var body = Join(". ", In(c.Party, culture), Join(", ", In(c.Contest, culture), In(c.Constituency, culture), In(c.Region, culture)));
            texts[culture] = (name, body);
        }
        var details = new Dictionary<string, string>
        {
            ["party"] = c.PartyId, ["contestId"] = c.ContestId, ["constituencyId"] = c.ConstituencyId,
        };
        return new(texts, [c.Id, .. c.NameForms.Values], details, null);
    }

    private static DocumentDescription DescribeStation(StationDocument s)
    {
        var number = s.Number.ToString(CultureInfo.InvariantCulture);
        var texts = new Dictionary<string, (string, string)>();
        foreach (var culture in SearchCultures.All)
        {
            // The wording of the portal's Station.Title resource in each language (a Portal test holds them together).
            var title = culture switch
            {
                "uz" => $"{number}-son saylov uchastkasi",
                "uz-Cyrl" => $"{number}-сон сайлов участкаси",
                "ru" => $"Избирательный участок № {number}",
                _ => $"Polling station No. {number}",
            };
            var address = culture switch
            {
                "uz-Cyrl" => Pick(s.AddressForms, "uz-Cyrl") ?? s.Address,
                "ru" => Pick(s.AddressForms, "ru") ?? s.Address,
                _ => Pick(s.AddressForms, culture) ?? s.Address,
            };
            var constituencies = string.Join("; ", s.Constituencies.Select(k => In(k.Name, culture)).Where(n => n.Length > 0));
            texts[culture] = (title, Join(". ", address, constituencies, In(s.Region, culture)));
        }
        var details = new Dictionary<string, string>
        {
            ["number"] = number,
            ["votersOnList"] = s.VotersOnList.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var k in s.Constituencies) details["constituency." + k.ContestId] = k.ConstituencyId;
        return new(texts, [s.Id], details, null);
    }

    private static DocumentDescription DescribeDecision(DecisionDocument d)
    {
        var texts = new Dictionary<string, (string, string)>();
        foreach (var (culture, title) in d.Title)
        {
            if (string.IsNullOrWhiteSpace(title)) continue;
            texts[culture] = (title, Pick(d.Body, culture) ?? "");
        }
        foreach (var (culture, body) in d.Body)
            if (!texts.ContainsKey(culture) && !string.IsNullOrWhiteSpace(body)) texts[culture] = (d.Number, body);
        if (texts.Count == 0) throw new ArgumentException($"Decision {d.Id} has neither title nor body.", nameof(d));
        var details = new Dictionary<string, string>
        {
            ["number"] = d.Number, ["commissionId"] = d.CommissionId,
        };
        foreach (var (culture, name) in d.Commission) details["commission." + culture] = name;
        return new(texts, [d.Number, .. d.Commission.Values], details, d.Date);
    }

    private static string? Pick(IReadOnlyDictionary<string, string> text, string culture) =>
        text.TryGetValue(culture, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The text in a culture, falling back through the other cultures (Cyrillic to Cyrillic first).</summary>
    internal static string In(IReadOnlyDictionary<string, string> text, string culture)
    {
        if (text.Count == 0) return "";
        string[] order = culture switch
        {
            "uz-Cyrl" => ["uz-Cyrl", "ru", "uz", "en"],
            "ru" => ["ru", "uz-Cyrl", "uz", "en"],
            "en" => ["en", "uz", "ru", "uz-Cyrl"],
            _ => ["uz", "en", "uz-Cyrl", "ru"],
        };
        foreach (var c in order)
            if (Pick(text, c) is { } value) return value;
        return text.Values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? "";
    }

    private static string Join(string separator, params string[] parts) =>
        string.Join(separator, parts.Where(p => !string.IsNullOrWhiteSpace(p)));
}
