using System.Globalization;
using Lucene.Net.Documents;
using Portal.Search.Documents;

namespace Portal.Search.Lucene;

/// <summary>Maps the search documents to Lucene documents: per-culture stored title and body, text in every field family.</summary>
internal static class DocumentMapper
{
    public static readonly string[] Cultures = ["uz", "uz-Cyrl", "ru", "en"];

    public static string KeyOf(SearchDocumentType type, string id) => $"{type.ToWire()}:{id}";

    public static int? DateNumber(DateOnly? date) => date is { } d ? d.Year * 10000 + d.Month * 100 + d.Day : null;

    public static DateOnly? DateFromNumber(int? value) =>
        value is { } v and > 0 ? new DateOnly(v / 10000, v / 100 % 100, v % 100) : null;

    public static Document ToLucene(SearchDocument source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source.Id);
        var (texts, keywords, details, date) = Describe(source);
        var document = new Document
        {
            new StringField(SearchFields.Key, KeyOf(source.Type, source.Id), Field.Store.NO),
            new SortedDocValuesField(SearchFields.Key, new(KeyOf(source.Type, source.Id))),
            new StringField(SearchFields.Id, source.Id, Field.Store.YES),
            new StringField(SearchFields.Type, source.Type.ToWire(), Field.Store.YES),
            new NumericDocValuesField(SearchFields.TypeNumber, (long)source.Type),
        };
        if (!string.IsNullOrEmpty(source.RegionId)) document.Add(new StringField(SearchFields.Region, source.RegionId, Field.Store.YES));
        if (DateNumber(date) is { } number)
        {
            // Stored only: the date filter and the sort read the doc values.
            document.Add(new StoredField(SearchFields.Date, number));
            document.Add(new NumericDocValuesField(SearchFields.DateSort, number));
        }
        if (!string.IsNullOrEmpty(source.Url)) document.Add(new StoredField(SearchFields.Url, source.Url));
        foreach (var (name, value) in details)
            if (!string.IsNullOrEmpty(value)) document.Add(new StoredField(SearchFields.StoredDetail + name, value));

        // Each text goes into the families of its language only: Uzbek (either script) and names into the folded
        // field; Russian also into the stemmed Russian field, English into the English one. Analysing every text with
        // every analyzer doubled the indexing time for nothing a query could find.
        var indexed = new HashSet<(string Field, string Text)>();
        foreach (var (culture, (title, body)) in texts)
        {
            document.Add(new StoredField(SearchFields.StoredTitle + culture, title));
            document.Add(new StoredField(SearchFields.StoredBody + culture, body));
            foreach (var family in SearchFields.FamiliesOf(culture))
            {
                var (titleField, bodyField) = SearchFields.FieldsOf(family);
                if (indexed.Add((titleField, title))) document.Add(new TextField(titleField, title, Field.Store.NO));
                if (body.Length > 0 && indexed.Add((bodyField, body))) document.Add(new TextField(bodyField, body, Field.Store.NO));
            }
        }
        foreach (var keyword in keywords.Where(k => !string.IsNullOrWhiteSpace(k) && indexed.Add((SearchFields.TitleFolded, k))))
            document.Add(new TextField(SearchFields.TitleFolded, keyword, Field.Store.NO));
        return document;
    }

    private sealed record Description(
        Dictionary<string, (string Title, string Body)> Texts, List<string> Keywords, Dictionary<string, string> Details, DateOnly? Date);

    private static Description Describe(SearchDocument source) => source switch
    {
        CandidateDocument c => DescribeCandidate(c),
        StationDocument s => DescribeStation(s),
        DecisionDocument d => DescribeDecision(d),
        _ => throw new ArgumentException($"Unknown document type {source.GetType().Name}.", nameof(source)),
    };

    private static Description DescribeCandidate(CandidateDocument c)
    {
        var texts = new Dictionary<string, (string, string)>();
        foreach (var culture in Cultures)
        {
            var name = culture switch
            {
                "uz" or "en" => c.Name,
                "ru" => Pick(c.NameForms, "ru") ?? Pick(c.NameForms, "uz-Cyrl") ?? c.Name,
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

    private static Description DescribeStation(StationDocument s)
    {
        var number = s.Number.ToString(CultureInfo.InvariantCulture);
        var texts = new Dictionary<string, (string, string)>();
        foreach (var culture in Cultures)
        {
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
                "ru" => Pick(s.AddressForms, "ru") ?? Pick(s.AddressForms, "uz-Cyrl") ?? s.Address,
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

    private static Description DescribeDecision(DecisionDocument d)
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
