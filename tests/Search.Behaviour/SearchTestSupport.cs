using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Search.Documents;
using Portal.Search.Lucene;

namespace Portal.Search.Tests;

/// <summary>Where a search test keeps its index: inside its <see cref="TempDirectory"/>.</summary>
public static class SearchTempDirectory
{
    extension(TempDirectory directory)
    {
        public string IndexPath => System.IO.Path.Combine(directory.Path, "index");
    }
}

/// <summary>A document source over a list; the fingerprint can be changed to simulate a new election file.</summary>
public sealed class ListDocumentSource(IEnumerable<SearchDocument> documents, string? fingerprint = "v1") : ISearchDocumentSource
{
    private readonly List<SearchDocument> _documents = [.. documents];

    public string? Fingerprint { get; set; } = fingerprint;

    public int Reads { get; private set; }

    public void Add(SearchDocument document) => _documents.Add(document);

    public ValueTask<string?> GetFingerprintAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Fingerprint);

    public async IAsyncEnumerable<SearchDocument> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Reads++;
        foreach (var document in _documents.ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return document;
        }
        await Task.CompletedTask;
    }
}

public static class TestIndex
{
    public static LuceneSearchIndex Create(string indexPath, TimeSpan? maxStaleness = null) =>
        new(Options.Create(new SearchOptions { IndexPath = indexPath, MaxStaleness = maxStaleness ?? TimeSpan.FromSeconds(1) }),
            NullLogger<LuceneSearchIndex>.Instance);

    public static async Task<LuceneSearchIndex> OpenAsync(string indexPath, ISearchDocumentSource source)
    {
        var index = Create(indexPath);
        await index.OpenAsync(source, cancellationToken: TestContext.Current.CancellationToken);
        return index;
    }

    public static async Task<List<string>> IdsAsync(this ISearchIndex index, string query, SearchDocumentType? type = null) =>
        [.. (await index.SearchAsync(new SearchRequest
        {
            Query = query, PageSize = 100, Types = type is { } t ? [t] : [],
        }, TestContext.Current.CancellationToken)).Hits.Select(h => h.Id)];
}

/// <summary>A small hand-made corpus whose every text is known, for exact assertions.</summary>
public static class Corpus
{
    public static readonly Dictionary<string, string> Tashkent = new()
    {
        ["uz"] = "Toshkent shahri", ["uz-Cyrl"] = "Тошкент шаҳри", ["ru"] = "город Ташкент", ["en"] = "Tashkent City",
    };

    public static readonly Dictionary<string, string> Fergana = new()
    {
        ["uz"] = "Fargʻona viloyati", ["uz-Cyrl"] = "Фарғона вилояти", ["ru"] = "Ферганская область", ["en"] = "Fergana Region",
    };

    public static CandidateDocument Candidate(string id, string name, string cyrillic, string region = "tashkent-city") => new()
    {
        Id = id, Name = name, NameForms = new Dictionary<string, string> { ["uz-Cyrl"] = cyrillic },
        PartyId = "uzlidep",
        Party = new Dictionary<string, string> { ["uz"] = "O'zbekiston Liberal-demokratik partiyasi", ["ru"] = "Либерально-демократическая партия Узбекистана", ["en"] = "Liberal Democratic Party of Uzbekistan" },
        ContestId = "legislative", Contest = new Dictionary<string, string> { ["uz"] = "Oliy Majlis Qonunchilik palatasi", ["en"] = "Legislative Chamber" },
        ConstituencyId = region == "tashkent-city" ? "1" : "2",
        Constituency = region == "tashkent-city"
            ? new Dictionary<string, string> { ["uz"] = "Bektemir saylov okrugi №1", ["en"] = "Bektemir constituency No. 1" }
            : new Dictionary<string, string> { ["uz"] = "Quva saylov okrugi №2", ["en"] = "Quva constituency No. 2" },
        RegionId = region, Region = region == "tashkent-city" ? Tashkent : Fergana,
        Url = region == "tashkent-city" ? "/contests/legislative/constituencies/1" : "/contests/legislative/constituencies/2",
    };

    public static StationDocument Station(string id, int number, string address, string region = "tashkent-city") => new()
    {
        Id = id, Number = number, Address = address, VotersOnList = 1500, RegionId = region,
        Region = region == "tashkent-city" ? Tashkent : Fergana,
        Constituencies = [region == "tashkent-city"
            ? new StationConstituency("legislative", "1", new Dictionary<string, string> { ["uz"] = "Bektemir saylov okrugi №1" })
            : new StationConstituency("legislative", "2", new Dictionary<string, string> { ["uz"] = "Quva saylov okrugi №2" })],
        Url = $"/stations/{id}",
    };

    public static DecisionDocument Decision(string id, DateOnly date, string uzTitle, string uzBody, string? ruTitle = null, string? ruBody = null, string? region = null)
    {
        var title = new Dictionary<string, string> { ["uz"] = uzTitle };
        var body = new Dictionary<string, string> { ["uz"] = uzBody };
        if (ruTitle is not null) title["ru"] = ruTitle;
        if (ruBody is not null) body["ru"] = ruBody;
        return new DecisionDocument
        {
            Id = id, Number = id.ToUpperInvariant() + "-son", Date = date, CommissionId = "cec", Title = title, Body = body,
            RegionId = region, Url = $"/decisions/{id}",
        };
    }

    public static List<SearchDocument> Documents() =>
    [
        Candidate("c-1", "Mirziyoyev Akmal Bahodirovich", "Мирзиёев Акмал Баҳодирович"),
        Candidate("c-2", "Karimova Dilnoza Rustamovna", "Каримова Дилноза Рустамовна", region: "fergana"),
        Candidate("c-3", "G'aniyev Sardor Olimovich", "Ғаниев Сардор Олимович", region: "fergana"),
        Station("1-0001", 101, "Bektemir, Amir Temur ko'chasi, 5-uy, 12-maktab"),
        Station("1-0002", 102, "Bektemir, Navro'z ko'chasi, 7-uy, madaniyat markazi"),
        Station("2-0001", 201, "Farg'ona, Mustaqillik ko'chasi, 3-uy, 4-litsey", region: "fergana"),
        Decision("msk-1", new DateOnly(2024, 6, 26), "Saylov kampaniyasining boshlanishi toʻgʻrisida",
            "Oʻzbekiston Respublikasi Markaziy saylov komissiyasi qaror qiladi: saylov kampaniyasi boshlangan deb eʼlon qilinsin.",
            "О начале избирательной кампании", "Центральная избирательная комиссия постановляет: объявить о начале кампании по подготовке выборов."),
        Decision("msk-2", new DateOnly(2024, 8, 1), "Hududiy saylov okruglarini tuzish toʻgʻrisida",
            "Toshkent shahri hududida saylov okrugi tuzilsin. Bektemir saylov okrugi №1 chegaralari belgilansin.", region: "tashkent-city"),
        Decision("msk-3", new DateOnly(2024, 9, 20), "Okruglar toʻgʻrisida",
            "Saylov uchastkalari chegaralari okrugi bilan mos boʻlsin; saylov jarayoni ochiq.", region: "fergana"),
        Decision("msk-4", new DateOnly(2024, 11, 1), "Saylov yakunlari toʻgʻrisida", "Natijalar eʼlon qilinsin.",
            "Об итогах выборов", "Итоги выборов в Законодательную палату определены по протоколам окружных избирательных комиссий."),
        Decision("msk-5", new DateOnly(2024, 10, 1), "Xalqaro kuzatuvchilarni akkreditatsiya qilish toʻgʻrisida",
            "Kuzatuvchilar akkreditatsiya qilinsin.", null, null),
    ];
}
