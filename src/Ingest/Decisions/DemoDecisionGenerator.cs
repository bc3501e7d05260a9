using System.Globalization;
using System.Text;
using Portal.Grains.Demo;
using Portal.Grains.Model;
using Portal.Grains.Text;
using Portal.Ingest.Search;
using Portal.Search.Documents;

namespace Portal.Ingest.Decisions;

public sealed record DemoDecisionOptions
{
    public int Seed { get; init; } = 2024;

    /// <summary>A decision lists at most this many stations in its text; the rest are "in the annex", as real ones do.</summary>
    public int MaxStationsListed { get; init; } = 15;

    /// <summary>First number of the CEC series (MSK-1320-son ...).</summary>
    public int FirstCecNumber { get; init; } = 1320;
}

/// <summary>
/// Generates the commission decisions of a demo election, deterministic from the seed and the election: the CEC,
/// the regional commissions and one district commission per Legislative Chamber constituency, in uz (Latin), uz-Cyrl,
/// ru and, for CEC decisions, en. The people and places are those of the election. Wording follows the Election Code
/// (Art. 9, 10, 23, 33, 35, 36, 40, 72, 97, 103) and the CEC's announcements on E-Saylov.
/// </summary>
public static class DemoDecisionGenerator
{
    public const string CecId = "cec";

    public static IReadOnlyList<DecisionDocument> Generate(ElectionDefinition election, DemoDecisionOptions options)
    {
        var random = new Random(options.Seed);
        var day = DateOnly.FromDateTime(election.PollsOpen.DateTime);
        var drafts = new List<Draft>();
        var regions = election.Regions;
        var legislative = election.Contests.FirstOrDefault(c => c.Kind == "legislative") ?? election.Contests.FirstOrDefault();
        var councils = election.Contests.Where(c => c != legislative).ToList();
        var stationsByConstituency = legislative is null ? [] : election.Stations
            .Where(s => s.Constituencies.ContainsKey(legislative.Id))
            .GroupBy(s => s.Constituencies[legislative.Id])
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Number).ToList());
        var parties = election.Parties.ToDictionary(p => p.Id, p => p.Name);
        var cec = Commission.Cec();

        drafts.Add(CampaignStart(cec, day));
        if (legislative is not null)
        {
            foreach (var region in regions)
            {
                var constituencies = legislative.Constituencies.Where(k => k.RegionId == region.Id).ToList();
                if (constituencies.Count == 0) continue;
                drafts.Add(Constituencies(cec, region, constituencies, stationsByConstituency, day.AddDays(-100 + random.Next(0, 6))));
                drafts.Add(CandidateRegistration(cec, region, legislative, constituencies, parties, day.AddDays(-38 + random.Next(0, 4))));
            }
            foreach (var constituency in legislative.Constituencies)
            {
                var district = Commission.District(constituency);
                var stations = stationsByConstituency.GetValueOrDefault(constituency.Id) ?? [];
                drafts.Add(Stations(district, constituency, stations, options.MaxStationsListed, day.AddDays(-64 + random.Next(0, 5))));
                drafts.Add(PrecinctCommissions(district, constituency, stations, day.AddDays(-55 + random.Next(0, 5))));
            }
            var tashkent = election.Stations.Where(s => s.RegionId == "tashkent-city").Take(10).ToList();
            if (tashkent.Count == 0) tashkent = [.. election.Stations.Take(10)];
            drafts.Add(ElectronicVoting(cec, tashkent, day.AddDays(-40)));
        }
        foreach (var region in regions)
        {
            var commission = Commission.Region(region, regions.IndexOf(region) + 1);
            foreach (var council in councils)
            {
                var constituencies = council.Constituencies.Where(k => k.RegionId == region.Id).ToList();
                if (constituencies.Count > 0)
                    drafts.Add(CouncilCandidateRegistration(commission, region, council, constituencies, parties, day.AddDays(-36 + random.Next(0, 3))));
            }
            drafts.Add(PartyObservers(commission, region, parties, random, day.AddDays(-16 + random.Next(0, 3))));
            drafts.Add(NationalMedia(commission, region, random, day.AddDays(-12 + random.Next(0, 5))));
            if (councils.Count > 0) drafts.Add(CouncilResults(commission, region, councils[0], day.AddDays(6)));
        }
        var streamed = election.Stations.Where(s => s.Cameras.Any(c => c.Enabled)).Take(options.MaxStationsListed).ToList();
        drafts.Add(Broadcasts(cec, streamed, election.Stations.Count(s => s.Cameras.Any(c => c.Enabled)), day.AddDays(-20)));
        for (var i = 0; i < Observers.Length; i++)
            drafts.Add(InternationalObservers(cec, Observers[i], random.Next(6, 240), day.AddDays(-30 + i * 4)));
        for (var i = 0; i < MediaOutlets.Length; i += 3)
            drafts.Add(ForeignMedia(cec, MediaOutlets.Skip(i).Take(3).Select(m => (m, random.Next(2, 15))).ToList(), day.AddDays(-25 + i * 2)));
        drafts.Add(Silence(cec, day));
        if (legislative is not null) drafts.Add(LegislativeResults(cec, legislative, day.AddDays(5)));

        // Numbers run in adoption order within each commission.
        var sequence = new Dictionary<string, int>();
        var cecNumber = options.FirstCecNumber;
        var decisions = new List<DecisionDocument>(drafts.Count);
        foreach (var draft in drafts.OrderBy(d => d.Date).ThenBy(d => d.Commission.Id, StringComparer.Ordinal))
        {
            var commission = draft.Commission;
            string number, id;
            if (commission.Id == CecId)
            {
                number = $"MSK-{cecNumber}-son";
                id = $"msk-{cecNumber++}";
            }
            else
            {
                var seq = sequence[commission.Id] = sequence.GetValueOrDefault(commission.Id) + 1;
                number = $"{commission.Prefix}/{seq}-son";
                id = $"{commission.Prefix.ToLowerInvariant()}-{seq}";
            }
            var (title, body) = draft.Write(number);
            decisions.Add(new DecisionDocument
            {
                Id = id,
                Number = number,
                Date = draft.Date,
                CommissionId = commission.Id,
                Commission = commission.Name,
                RegionId = draft.RegionId,
                Region = draft.RegionName ?? new Dictionary<string, string>(),
                Title = title,
                Body = WithSignature(body, commission, number, draft.Date),
                Url = ElectionSearchDocuments.DecisionUrl(id),
            });
        }
        return decisions;
    }

    private sealed record Draft(DateOnly Date, Commission Commission, string? RegionId, IReadOnlyDictionary<string, string>? RegionName,
        Func<string, (Dictionary<string, string> Title, Dictionary<string, string> Body)> Write);

    /// <param name="Place">Where the commission sits, for the line under the signature.</param>
    private sealed record Commission(string Id, string Prefix, Dictionary<string, string> Name, Dictionary<string, string> Chair, Dictionary<string, string> Place)
    {
        public static Commission Cec() => new(CecId, "MSK",
            L("Oʻzbekiston Respublikasi Markaziy saylov komissiyasi", "Центральная избирательная комиссия Республики Узбекистан",
                "Central Election Commission of the Republic of Uzbekistan"),
            L("Oʻzbekiston Respublikasi Markaziy saylov komissiyasining raisi Z. Nizomiddinxoʻjayev",
                "Председатель Центральной избирательной комиссии Республики Узбекистан З. Низомиддинходжаев",
                "Chairman of the Central Election Commission of the Republic of Uzbekistan Z. Nizomiddinkhodjaev"),
            L("Toshkent sh.", "г. Ташкент", "Tashkent"));

        public static Commission Region(RegionDefinition region, int index) => new($"region-{region.Id}", $"HSK-{index:D2}",
            L($"{In(region.Name, "uz")} saylov komissiyasi", $"Избирательная комиссия: {In(region.Name, "ru")}"),
            L($"{In(region.Name, "uz")} saylov komissiyasining raisi", $"Председатель избирательной комиссии: {In(region.Name, "ru")}"),
            L(In(region.Name, "uz"), In(region.Name, "ru")));

        public static Commission District(ConstituencyDefinition constituency) => new($"district-{constituency.Id}", $"OSK-{constituency.Id}",
            L($"{In(constituency.Name, "uz")} saylov komissiyasi", RuDistrictCommission(In(constituency.Name, "ru"))),
            L("Okrug saylov komissiyasining raisi", "Председатель окружной избирательной комиссии"),
            L(DistrictOf(In(constituency.Name, "uz")), RussianForms.Place(DistrictOf(In(constituency.Name, "uz")))));

        // "Избирательный округ № 1 (Бектемир)" -> "Окружная избирательная комиссия избирательного округа № 1 (Бектемир)".
        private static string RuDistrictCommission(string constituency) =>
            constituency.StartsWith("Избирательный округ ", StringComparison.Ordinal)
                ? "Окружная избирательная комиссия избирательного округа " + constituency["Избирательный округ ".Length..]
                : $"Окружная избирательная комиссия: {constituency}";

        // "Bektemir saylov okrugi №1" -> "Bektemir": the district commission sits in its district.
        private static string DistrictOf(string constituencyName) =>
            constituencyName.Split(" saylov okrugi", 2)[0];
    }

    // ---- CEC decisions ----

    private static Draft CampaignStart(Commission cec, DateOnly day)
    {
        var start = day.AddDays(-123);
        return new(start, cec, null, null, _ => (
            L("Oʻzbekiston Respublikasi Oliy Majlisi Qonunchilik palatasiga va xalq deputatlari viloyat, tuman va shahar Kengashlariga saylov kampaniyasining boshlanishi toʻgʻrisida",
              "О начале избирательной кампании по выборам в Законодательную палату Олий Мажлиса Республики Узбекистан и Кенгаши народных депутатов областей, районов и городов",
              "On the start of the election campaign for the Legislative Chamber of the Oliy Majlis and the regional, district and city Kengashes of people's deputies"),
            L($"""
              Oʻzbekiston Respublikasi Saylov kodeksining 36-moddasiga muvofiq Oʻzbekiston Respublikasi Markaziy saylov komissiyasi qaror qiladi:
              1. Oʻzbekiston Respublikasi Oliy Majlisi Qonunchilik palatasiga va xalq deputatlari viloyat, tuman va shahar Kengashlariga saylov kampaniyasi {UzDate(start)}dan boshlangan deb eʼlon qilinsin.
              2. Saylov {UzDate(day)} kuni oʻtkazilsin. Ovoz berish soat 8:00 dan 20:00 gacha davom etadi.
              3. Saylovga tayyorgarlik koʻrish va uni oʻtkazish boʻyicha asosiy tadbirlarning kalendar rejasi tasdiqlansin (ilova).
              4. Saylov jarayoni ishtirokchilari oʻrtasidagi oʻzaro hamkorlik «E-Saylov» axborot tizimi orqali elektron shaklda amalga oshirilsin.
              5. Ushbu qaror ommaviy axborot vositalarida va Markaziy saylov komissiyasining rasmiy veb-saytida eʼlon qilinsin.
              6. Mazkur qarorning ijrosini nazorat qilish Markaziy saylov komissiyasi raisining oʻrinbosari zimmasiga yuklansin.
              """,
              $"""
              В соответствии со статьей 36 Избирательного кодекса Республики Узбекистан Центральная избирательная комиссия Республики Узбекистан постановляет:
              1. Объявить о начале избирательной кампании по выборам в Законодательную палату Олий Мажлиса Республики Узбекистан и Кенгаши народных депутатов областей, районов и городов с {RuDate(start)}.
              2. Выборы провести {RuDate(day)}. Голосование проводится с 8:00 до 20:00.
              3. Утвердить календарный план основных мероприятий по подготовке и проведению выборов (приложение).
              4. Взаимодействие участников избирательного процесса осуществлять в электронной форме через информационную систему «E-Saylov».
              5. Опубликовать настоящее постановление в средствах массовой информации и на официальном веб-сайте Центральной избирательной комиссии.
              6. Контроль за исполнением настоящего постановления возложить на заместителя председателя Центральной избирательной комиссии.
              """,
              $"""
              In accordance with Article 36 of the Election Code of the Republic of Uzbekistan, the Central Election Commission of the Republic of Uzbekistan resolves:
              1. To announce that the election campaign for the Legislative Chamber of the Oliy Majlis and the local Kengashes of people's deputies started on {EnDate(start)}.
              2. To hold the elections on {EnDate(day)}. Voting runs from 8:00 to 20:00.
              3. To approve the calendar plan of the main measures for preparing and holding the elections (annex).
              4. Participants of the election process shall interact electronically through the "E-Saylov" information system.
              5. To publish this resolution in the mass media and on the official website of the Central Election Commission.
              6. Control over the execution of this resolution is entrusted to the Deputy Chairman of the Central Election Commission.
              """)));
    }

    private static Draft Constituencies(Commission cec, RegionDefinition region, List<ConstituencyDefinition> constituencies,
        Dictionary<string, List<StationDefinition>> stations, DateOnly date)
    {
        string Voters(ConstituencyDefinition k) =>
            (stations.GetValueOrDefault(k.Id)?.Sum(s => s.VotersOnList) ?? 0).ToString("N0", CultureInfo.InvariantCulture).Replace(',', ' ');
        var uzList = Lines(constituencies, k => $"— {In(k.Name, "uz")}, saylovchilar soni — {Voters(k)}");
        var ruList = Lines(constituencies, k => $"— {In(k.Name, "ru")}, число избирателей — {Voters(k)}");
        var enList = Lines(constituencies, k => $"— {In(k.Name, "en")}, voters: {Voters(k)}");
        var (uz, ru, en) = (In(region.Name, "uz"), In(region.Name, "ru"), In(region.Name, "en"));
        return new(date, cec, region.Id, region.Name, _ => (
            L($"Oʻzbekiston Respublikasi Oliy Majlisi Qonunchilik palatasiga saylov boʻyicha hududiy saylov okruglarini tuzish toʻgʻrisida ({uz})",
              $"Об образовании территориальных избирательных округов по выборам в Законодательную палату Олий Мажлиса Республики Узбекистан ({ru})",
              $"On the formation of territorial election constituencies for the elections to the Legislative Chamber ({en})"),
            L($"""
              Oʻzbekiston Respublikasi Saylov kodeksining 9-moddasiga muvofiq hamda {uz} xalq deputatlari Kengashining taklifi asosida Markaziy saylov komissiyasi qaror qiladi:
              1. {uz} hududida Oliy Majlis Qonunchilik palatasiga saylov boʻyicha quyidagi hududiy saylov okruglari tuzilsin:
              {uzList}
              2. Saylov okruglari chegaralari maʼmuriy-hududiy tuzilish hisobga olingan holda belgilansin; okruglardagi saylovchilar sonining farqi, qoida tariqasida, oʻn foizdan oshmasligi taʼminlansin.
              3. Saylov okruglarining roʻyxati ularning chegaralari, saylovchilar soni va okrug saylov komissiyalarining joylashgan yeri koʻrsatilgan holda saylovdan kamida yetmish besh kun oldin eʼlon qilinsin.
              """,
              $"""
              В соответствии со статьей 9 Избирательного кодекса Республики Узбекистан и по представлению Кенгаша народных депутатов ({ru}) Центральная избирательная комиссия постановляет:
              1. Образовать на территории ({ru}) следующие территориальные избирательные округа по выборам в Законодательную палату Олий Мажлиса:
              {ruList}
              2. Границы избирательных округов определить с учетом административно-территориального устройства; отклонение числа избирателей в округах, как правило, не должно превышать десяти процентов.
              3. Опубликовать списки избирательных округов с указанием их границ, числа избирателей и местонахождения окружных избирательных комиссий не позднее чем за семьдесят пять дней до выборов.
              """,
              $"""
              In accordance with Article 9 of the Election Code and upon the proposal of the Kengash of people's deputies of {en}, the Central Election Commission resolves:
              1. To form the following territorial election constituencies in {en} for the elections to the Legislative Chamber of the Oliy Majlis:
              {enList}
              2. The borders of the constituencies take the administrative and territorial structure into account; the number of voters shall, as a rule, not deviate by more than ten per cent.
              3. The lists of constituencies with their borders, numbers of voters and the seats of the district election commissions shall be published at least seventy-five days before the elections.
              """)));
    }

    private static Draft CandidateRegistration(Commission cec, RegionDefinition region, ContestDefinition contest, List<ConstituencyDefinition> constituencies,
        Dictionary<string, Dictionary<string, string>> parties, DateOnly date)
    {
        string Party(string id, string culture) => parties.TryGetValue(id, out var name) ? In(name, culture) : id;
        var uzList = Lines(constituencies, k => $"{In(k.Name, "uz")}:\n" + Lines(k.Candidates, c => $"  — {c.Name}, {Party(c.Party, "uz")} tomonidan koʻrsatilgan;"));
        var ruList = Lines(constituencies, k => $"{In(k.Name, "ru")}:\n" + Lines(k.Candidates, c => $"  — {Cyrillic(c)}, выдвинут(а) партией: {Party(c.Party, "ru")};"));
        var enList = Lines(constituencies, k => $"{In(k.Name, "en")}:\n" + Lines(k.Candidates, c => $"  — {c.Name}, nominated by the {Party(c.Party, "en")};"));
        var (uz, ru, en) = (In(region.Name, "uz"), In(region.Name, "ru"), In(region.Name, "en"));
        return new(date, cec, region.Id, region.Name, _ => (
            L($"{In(contest.Name, "uz")} deputatligiga nomzodlarni roʻyxatga olish toʻgʻrisida ({uz})",
              $"О регистрации кандидатов в депутаты: {In(contest.Name, "ru")} ({ru})",
              $"On the registration of candidates for deputies of the {In(contest.Name, "en")} ({en})"),
            L($"""
              Oʻzbekiston Respublikasi Saylov kodeksining 40 va 72-moddalariga muvofiq, siyosiy partiyalar tomonidan «E-Saylov» axborot tizimi orqali taqdim etilgan hujjatlarni koʻrib chiqib, Markaziy saylov komissiyasi qaror qiladi:
              1. Quyidagi shaxslar {In(contest.Name, "uz")} deputatligiga nomzod sifatida roʻyxatga olinsin:
              {uzList}
              2. Roʻyxatga olingan nomzodlarga belgilangan namunadagi guvohnomalar berilsin.
              3. Roʻyxatga olingan nomzodlar toʻgʻrisidagi xabar ularning familiyasi, ismi, otasining ismi, tugʻilgan yili, partiyaviyligi, lavozimi, ish va yashash joyi koʻrsatilgan holda besh kun ichida matbuotda eʼlon qilinsin.
              """,
              $"""
              В соответствии со статьями 40 и 72 Избирательного кодекса Республики Узбекистан, рассмотрев документы, представленные политическими партиями через информационную систему «E-Saylov», Центральная избирательная комиссия постановляет:
              1. Зарегистрировать кандидатами в депутаты ({In(contest.Name, "ru")}):
              {ruList}
              2. Выдать зарегистрированным кандидатам удостоверения установленного образца.
              3. В пятидневный срок опубликовать в печати сообщение о регистрации кандидатов с указанием фамилии, имени, отчества, года рождения, партийности, должности, места работы и жительства.
              """,
              $"""
              In accordance with Articles 40 and 72 of the Election Code, having examined the documents submitted by the political parties through the "E-Saylov" information system, the Central Election Commission resolves:
              1. To register the following persons as candidates for deputies of the {In(contest.Name, "en")}:
              {enList}
              2. To issue the registered candidates with certificates of the established form.
              3. To publish a notice of the registration within five days, stating each candidate's name, year of birth, party affiliation, position, place of work and residence.
              """)));
    }

    private static Draft ElectronicVoting(Commission cec, List<StationDefinition> stations, DateOnly date) => new(date, cec, null, null, _ => (
        L("Saylovda elektron ovoz berish tizimini tajriba tariqasida qoʻllash toʻgʻrisida",
          "Об экспериментальном применении системы электронного голосования на выборах",
          "On the experimental use of an electronic voting system in the elections"),
        L($"""
          Saylov jarayonlarini raqamlashtirish maqsadida Markaziy saylov komissiyasi qaror qiladi:
          1. Quyidagi saylov uchastkalarida tajriba tariqasida 37 ta elektron ovoz berish qurilmasi oʻrnatilsin:
          {Lines(stations, s => $"— {s.Number}-son saylov uchastkasi, {s.Address}")}
          2. Ushbu saylov uchastkalarida saylovchilar anʼanaviy tartibda qogʻoz byulletenni toʻldirib yoki elektron shaklda ovoz berish imkoniyatiga ega.
          3. Elektron ovoz berish ovoz berishning yashirinligini (Saylov kodeksining 7-moddasi) toʻliq taʼminlashi shart.
          """,
          $"""
          В целях цифровизации избирательных процессов Центральная избирательная комиссия постановляет:
          1. Установить в порядке эксперимента 37 устройств электронного голосования на следующих избирательных участках:
          {Lines(stations, s => $"— Избирательный участок № {s.Number}, {s.AddressForms?.GetValueOrDefault("ru") ?? s.Address}")}
          2. На этих участках избиратели могут проголосовать традиционным способом, заполнив бумажный бюллетень, или в электронной форме.
          3. Электронное голосование должно полностью обеспечивать тайну голосования (статья 7 Избирательного кодекса).
          """,
          $"""
          With a view to digitizing the election process, the Central Election Commission resolves:
          1. To install, as an experiment, 37 electronic voting devices at the following polling stations:
          {Lines(stations, s => $"— Polling station No. {s.Number}, {s.Address}")}
          2. At these stations voters may vote in the traditional way by filling in a paper ballot, or electronically.
          3. Electronic voting must fully ensure the secrecy of the ballot (Article 7 of the Election Code).
          """)));

    private static Draft Broadcasts(Commission cec, List<StationDefinition> stations, int total, DateOnly date) => new(date, cec, null, null, _ => (
        L("Saylov kuni saylov uchastkalaridan onlayn videotranslyatsiya tashkil etish toʻgʻrisida",
          "Об организации онлайн-трансляции с избирательных участков в день выборов",
          "On online video broadcasts from polling stations on election day"),
        L($"""
          Saylovning ochiqligi va oshkoraligini taʼminlash maqsadida (Saylov kodeksining 8-moddasi) Markaziy saylov komissiyasi qaror qiladi:
          1. {total} ta saylov uchastkasida veb-kameralar oʻrnatilsin, jumladan:
          {Lines(stations, s => $"— {s.Number}-son saylov uchastkasi, {s.Address}")}
          2. Ovoz berish, ovozlarni sanab chiqish va natijalarni aniqlash jarayoni Markaziy saylov komissiyasining rasmiy veb-saytida roʻyxatdan oʻtmasdan jonli kuzatilishi mumkin.
          3. Ovoz berish kabinalari kameralarning koʻrish doirasidan tashqarida joylashtirilsin; ovoz yozib olinmaydi va eʼlon qilinmaydi (Saylov kodeksining 7-moddasi).
          """,
          $"""
          В целях обеспечения открытости и гласности выборов (статья 8 Избирательного кодекса) Центральная избирательная комиссия постановляет:
          1. Установить веб-камеры на {total} избирательных участках, в том числе:
          {Lines(stations, s => $"— Избирательный участок № {s.Number}, {s.AddressForms?.GetValueOrDefault("ru") ?? s.Address}")}
          2. Голосование, подсчет голосов и определение результатов можно наблюдать в прямом эфире на официальном веб-сайте Центральной избирательной комиссии без регистрации.
          3. Кабины для тайного голосования размещаются вне поля зрения камер; звук не записывается и не публикуется (статья 7 Избирательного кодекса).
          """,
          $"""
          To ensure the openness and transparency of the elections (Article 8 of the Election Code), the Central Election Commission resolves:
          1. To install webcams at {total} polling stations, among them:
          {Lines(stations, s => $"— Polling station No. {s.Number}, {s.Address}")}
          2. Voting, the counting of votes and the determination of results can be watched live on the official website of the Central Election Commission without registration.
          3. Voting booths are placed outside the cameras' view; no sound is recorded or published (Article 7 of the Election Code).
          """)));

    private static readonly (string Uz, string Ru, string En)[] Observers =
    [
        ("YXHTning Demokratik institutlar va inson huquqlari byurosi (YXHT/DIIHB)", "Бюро по демократическим институтам и правам человека ОБСЕ (БДИПЧ ОБСЕ)", "OSCE Office for Democratic Institutions and Human Rights (OSCE/ODIHR)"),
        ("Mustaqil Davlatlar Hamdoʻstligi kuzatuvchilar missiyasi", "Миссия наблюдателей от Содружества Независимых Государств", "Observer Mission of the Commonwealth of Independent States"),
        ("Shanxay hamkorlik tashkiloti", "Шанхайская организация сотрудничества", "Shanghai Cooperation Organisation"),
        ("Turkiy davlatlar tashkiloti", "Организация тюркских государств", "Organization of Turkic States"),
        ("Islom hamkorlik tashkiloti", "Организация исламского сотрудничества", "Organisation of Islamic Cooperation"),
        ("Saylov tashkilotlari jahon assotsiatsiyasi (A-WEB)", "Ассоциация мировых избирательных органов (A-WEB)", "Association of World Election Bodies (A-WEB)"),
        ("MDH Parlamentlararo Assambleyasi", "Межпарламентская Ассамблея СНГ", "CIS Inter-Parliamentary Assembly"),
    ];

    private static Draft InternationalObservers(Commission cec, (string Uz, string Ru, string En) organization, int count, DateOnly date) => new(date, cec, null, null, _ => (
        L($"{organization.Uz} kuzatuvchilarini akkreditatsiya qilish toʻgʻrisida",
          $"Об аккредитации наблюдателей: {organization.Ru}",
          $"On the accreditation of observers of the {organization.En}"),
        L($"""
          Oʻzbekiston Respublikasi Saylov kodeksining 33-moddasiga muvofiq hamda «E-Saylov» axborot tizimi orqali kelib tushgan arizani koʻrib chiqib, Markaziy saylov komissiyasi qaror qiladi:
          1. {organization.Uz}dan {count} nafar kuzatuvchi Oʻzbekiston Respublikasi Oliy Majlisi Qonunchilik palatasiga va xalq deputatlari Kengashlariga saylovda xalqaro kuzatuvchi sifatida akkreditatsiya qilinsin.
          2. Kuzatuvchilarning mandatlari «E-Saylov» axborot tizimi orqali elektron shaklda rasmiylashtirilsin.
          3. Kuzatuvchilar saylov komissiyalarining majlislarida, ovoz berish binolarida hozir boʻlish, ovozlarni sanab chiqishda ishtirok etish va bayonnoma nusxalarini olish huquqiga ega; ular saylovchilarga taʼsir koʻrsatishi, ovoz berish kabinasida boʻlishi taqiqlanadi.
          """,
          $"""
          В соответствии со статьей 33 Избирательного кодекса Республики Узбекистан, рассмотрев заявку, поступившую через информационную систему «E-Saylov», Центральная избирательная комиссия постановляет:
          1. Аккредитовать {count} наблюдателей ({organization.Ru}) в качестве международных наблюдателей на выборах в Законодательную палату Олий Мажлиса и Кенгаши народных депутатов.
          2. Мандаты наблюдателей оформить в электронной форме через информационную систему «E-Saylov».
          3. Наблюдатели вправе присутствовать на заседаниях избирательных комиссий, в помещениях для голосования, при подсчете голосов и получать копии протоколов; им запрещается оказывать влияние на избирателей и находиться в кабине для тайного голосования.
          """,
          $"""
          In accordance with Article 33 of the Election Code, having examined the application received through the "E-Saylov" information system, the Central Election Commission resolves:
          1. To accredit {count} observers of the {organization.En} as international observers of the elections to the Legislative Chamber of the Oliy Majlis and the Kengashes of people's deputies.
          2. The observers' mandates are issued electronically through the "E-Saylov" information system.
          3. Observers may attend meetings of election commissions, be present in voting premises and at the counting of votes, and receive copies of protocols; they must not influence voters or enter a voting booth.
          """)));

    private static readonly string[] MediaOutlets =
        ["Reuters", "Associated Press", "Agence France-Presse", "TASS", "RIA Novosti", "Anadolu", "Xinhua", "Euronews", "Kazinform", "Kabar", "AKIpress", "Trend"];

    /// <summary>The foreign (not Uzbek) names the decisions use: never transliterated into Cyrillic.</summary>
    internal static readonly string[] KeepLatin = [.. MediaOutlets, "E-Saylov", "A-WEB"];

    private static Draft ForeignMedia(Commission cec, List<(string Outlet, int Count)> outlets, DateOnly date) => new(date, cec, null, null, _ => (
        L("Xorijiy ommaviy axborot vositalari vakillarini akkreditatsiya qilish toʻgʻrisida",
          "Об аккредитации представителей зарубежных средств массовой информации",
          "On the accreditation of representatives of foreign mass media"),
        L($"""
          Oʻzbekiston Respublikasi Saylov kodeksining 35-moddasiga muvofiq hamda «E-Saylov» axborot tizimi orqali kelib tushgan arizalarni koʻrib chiqib, Markaziy saylov komissiyasi qaror qiladi:
          1. Quyidagi xorijiy ommaviy axborot vositalarining vakillari saylovni yoritish uchun akkreditatsiya qilinsin:
          {Lines(outlets, o => $"— {o.Outlet}: {o.Count} nafar")}
          2. Akkreditatsiya guvohnomalari «E-Saylov» axborot tizimida elektron shaklda shakllantirilsin. Xodimning shaxsini tasdiqlovchi hujjat nusxasi, ommaviy axborot vositasining davlat roʻyxatidan oʻtganligi toʻgʻrisidagi guvohnoma nusxasi va xodimning elektron fotosurati talab qilinmaydi.
          3. Akkreditatsiya qilingan jurnalistlar saylov kuni ovoz berish binolarida, shu jumladan ovozlarni sanab chiqishda hozir boʻlish huquqiga ega.
          """,
          $"""
          В соответствии со статьей 35 Избирательного кодекса Республики Узбекистан, рассмотрев заявки, поступившие через информационную систему «E-Saylov», Центральная избирательная комиссия постановляет:
          1. Аккредитовать для освещения выборов представителей следующих зарубежных средств массовой информации:
          {Lines(outlets, o => $"— {o.Outlet}: {o.Count} чел.")}
          2. Удостоверения об аккредитации сформировать в электронной форме в информационной системе «E-Saylov». Копия документа, удостоверяющего личность работника, копия свидетельства о государственной регистрации СМИ и электронная фотография работника не требуются.
          3. Аккредитованные журналисты вправе присутствовать в день выборов в помещениях для голосования, в том числе при подсчете голосов.
          """,
          $"""
          In accordance with Article 35 of the Election Code, having examined the applications received through the "E-Saylov" information system, the Central Election Commission resolves:
          1. To accredit representatives of the following foreign mass media to cover the elections:
          {Lines(outlets, o => $"— {o.Outlet}: {o.Count} persons")}
          2. Accreditation credentials are generated electronically in the "E-Saylov" information system. A copy of the employee's identity document, a copy of the media outlet's state registration certificate and an electronic photograph of the employee are no longer required.
          3. Accredited journalists may be present in voting premises on election day, including at the counting of votes.
          """)));

    private static Draft Silence(Commission cec, DateOnly day)
    {
        var eve = day.AddDays(-1);
        return new(day.AddDays(-3), cec, null, null, _ => (
            L("Saylov kuni va undan oldingi kunda jamoatchilik fikri soʻrovlari natijalari hamda saylov natijalari prognozlarini eʼlon qilish taqiqlanishi toʻgʻrisida",
              "О запрете опубликования результатов опросов общественного мнения и прогнозов результатов выборов в день выборов и накануне",
              "On the prohibition of publishing opinion poll results and forecasts of election results on election day and the day before"),
            L($"""
              Oʻzbekiston Respublikasi Saylov kodeksining 103-moddasiga muvofiq Markaziy saylov komissiyasi maʼlum qiladi:
              1. {UzDate(eve)} va {UzDate(day)} kunlari jamoatchilik fikri soʻrovlarining natijalari, saylov natijalarining prognozlari, saylov bilan bogʻliq boshqa tadqiqotlarni eʼlon qilish, shu jumladan ularni axborot tarmoqlarida va Internet jahon axborot tarmogʻida joylashtirish taqiqlanadi.
              2. Saylovoldi tashviqoti {UzDate(eve)} kuni soat 00:00 da tugaydi.
              3. Ovoz berish {UzDate(day)} kuni soat 8:00 dan 20:00 gacha oʻtkaziladi; ovozlarni sanab chiqish soat 20:00 dan oldin boshlanmaydi (Saylov kodeksining 51-moddasi).
              4. Ovoz berish kuni saylovchilar faolligi haqidagi rasmiy maʼlumotlar Markaziy saylov komissiyasi tomonidan eʼlon qilinadi; ovoz berish yakunlanguniga qadar natijalar eʼlon qilinmaydi.
              """,
              $"""
              В соответствии со статьей 103 Избирательного кодекса Республики Узбекистан Центральная избирательная комиссия сообщает:
              1. {RuDate(eve)} и {RuDate(day)} запрещается опубликование (обнародование) результатов опросов общественного мнения, прогнозов результатов выборов, иных исследований, связанных с выборами, в том числе их размещение в информационных сетях и в сети Интернет.
              2. Предвыборная агитация прекращается {RuDate(eve)} в 00:00.
              3. Голосование проводится {RuDate(day)} с 8:00 до 20:00; подсчет голосов не начинается ранее 20:00 (статья 51 Избирательного кодекса).
              4. Официальные данные о явке избирателей в день голосования публикует Центральная избирательная комиссия; до окончания голосования результаты не публикуются.
              """,
              $"""
              In accordance with Article 103 of the Election Code, the Central Election Commission announces:
              1. On {EnDate(eve)} and {EnDate(day)} it is prohibited to publish the results of public opinion polls, forecasts of election results and other research related to the elections, including placing them in information networks and on the Internet.
              2. Campaigning ends on {EnDate(eve)} at 00:00.
              3. Voting takes place on {EnDate(day)} from 8:00 to 20:00; the counting of votes does not start before 20:00 (Article 51 of the Election Code).
              4. Official turnout figures are published by the Central Election Commission during election day; no results are published before voting ends.
              """)));
    }

    private static Draft LegislativeResults(Commission cec, ContestDefinition contest, DateOnly date) => new(date, cec, null, null, _ => (
        L($"{In(contest.Name, "uz")}ga saylov yakunlari toʻgʻrisida",
          $"Об итогах выборов: {In(contest.Name, "ru")}",
          $"On the results of the elections to the {In(contest.Name, "en")}"),
        L($"""
          Oʻzbekiston Respublikasi Saylov kodeksining 95, 96 va 97-moddalariga muvofiq, {contest.Constituencies.Count} ta okrug saylov komissiyasining bayonnomalari asosida Markaziy saylov komissiyasi qaror qiladi:
          1. Saylov yakunlari faqat saylov uchastkalari bayonnomalari asosida tuzilgan okrug saylov komissiyalarining bayonnomalari boʻyicha aniqlansin.
          2. Ovoz berishda saylovchilar roʻyxatiga kiritilgan fuqarolarning uchdan bir qismidan kamrogʻi ishtirok etgan okruglarda saylov oʻtkazilmagan deb hisoblansin.
          3. Birorta nomzod ovoz berishda ishtirok etgan saylovchilar ovozlarining yarmidan koʻpini ololmagan okruglarda eng koʻp ovoz olgan ikki nomzod boʻyicha takroriy ovoz berish oʻtkazilsin (59-modda).
          4. Natijalari haqiqiy emas deb topilgan saylov uchastkalari yakuniy hisobdan chiqarilsin va bu ochiq koʻrsatilsin.
          5. Ushbu qaror saylovdan keyin oʻn kundan kechiktirmay Markaziy saylov komissiyasining rasmiy veb-saytida eʼlon qilinsin; uchastkalar kesimidagi natijalar ochiq maʼlumotlar sifatida joylashtirilsin.
          """,
          $"""
          В соответствии со статьями 95, 96 и 97 Избирательного кодекса Республики Узбекистан, на основании протоколов {contest.Constituencies.Count} окружных избирательных комиссий Центральная избирательная комиссия постановляет:
          1. Итоги выборов определить только по протоколам окружных избирательных комиссий, составленным на основании протоколов избирательных участков.
          2. Признать выборы несостоявшимися в округах, где в голосовании приняли участие менее одной трети избирателей, включенных в списки.
          3. В округах, где ни один кандидат не получил более половины голосов избирателей, принявших участие в голосовании, провести повторное голосование по двум кандидатам, получившим наибольшее число голосов (статья 59).
          4. Избирательные участки, результаты которых признаны недействительными, исключить из итогов с открытым указанием этого.
          5. Опубликовать настоящее постановление на официальном веб-сайте Центральной избирательной комиссии не позднее десяти дней после выборов; результаты в разрезе участков разместить в виде открытых данных.
          """,
          $"""
          In accordance with Articles 95, 96 and 97 of the Election Code, on the basis of the protocols of {contest.Constituencies.Count} district election commissions, the Central Election Commission resolves:
          1. The results are determined only from the protocols of the district election commissions, drawn up from the protocols of the polling stations.
          2. In constituencies where less than one third of the voters on the lists took part, the election is declared not conducted.
          3. In constituencies where no candidate received more than half of the votes cast, a repeat vote is held between the two candidates with the most votes (Article 59).
          4. Polling stations whose results were invalidated are excluded from the totals, and this is shown openly.
          5. This resolution is published on the official website of the Central Election Commission no later than ten days after the elections; the results by polling station are published as open data.
          """)));

    // ---- District commissions ----

    private static Draft Stations(Commission district, ConstituencyDefinition constituency, List<StationDefinition> stations, int maxListed, DateOnly date)
    {
        var listed = stations.Take(maxListed).ToList();
        var more = stations.Count > listed.Count;
        var name = (uz: In(constituency.Name, "uz"), ru: In(constituency.Name, "ru"));
        return new(date, district, constituency.RegionId, null, _ => (
            L($"{name.uz} hududida saylov uchastkalarini tuzish toʻgʻrisida",
              $"Об образовании избирательных участков: {name.ru}"),
            L($"""
              Oʻzbekiston Respublikasi Saylov kodeksining 10-moddasiga muvofiq hamda tuman (shahar) hokimligining taklifi asosida okrug saylov komissiyasi qaror qiladi:
              1. {name.uz} hududida {stations.Count} ta saylov uchastkasi tuzilsin va ularga quyidagi tartib raqamlari berilsin:
              {Lines(listed, s => $"— {s.Number}-son saylov uchastkasi: {s.Address}; saylovchilar soni — {s.VotersOnList}")}{(more ? $"\n(toʻliq roʻyxat ilovada, jami {stations.Count} ta)" : "")}
              2. Saylovchilar har bir saylov uchastkasining chegaralari, uchastka saylov komissiyasi va ovoz berish binosining joylashgan yeri hamda telefon raqamlari toʻgʻrisida xabardor qilinsin.
              3. Saylov uchastkalarining chegaralari saylov okrugi chegaralarini kesib oʻtmasligi taʼminlansin.
              """,
              $"""
              В соответствии со статьей 10 Избирательного кодекса Республики Узбекистан и по представлению хокимията района (города) окружная избирательная комиссия постановляет:
              1. Образовать на территории округа ({name.ru}) избирательные участки в количестве {stations.Count} и присвоить им следующие порядковые номера:
              {Lines(listed, s => $"— Избирательный участок № {s.Number}: {s.AddressForms?.GetValueOrDefault("ru") ?? s.Address}; число избирателей — {s.VotersOnList}")}{(more ? $"\n(полный список в приложении, всего {stations.Count})" : "")}
              2. Оповестить избирателей о границах каждого избирательного участка с указанием номеров телефонов, места нахождения участковой избирательной комиссии и помещения для голосования.
              3. Обеспечить, чтобы границы избирательных участков не пересекали границ избирательного округа.
              """)));
    }

    private static Draft PrecinctCommissions(Commission district, ConstituencyDefinition constituency, List<StationDefinition> stations, DateOnly date)
    {
        var name = (uz: In(constituency.Name, "uz"), ru: In(constituency.Name, "ru"));
        var numbers = stations.Count == 0 ? "" : $"{stations.Min(s => s.Number)}—{stations.Max(s => s.Number)}";
        return new(date, district, constituency.RegionId, null, _ => (
            L($"{name.uz} saylov uchastkalarining uchastka saylov komissiyalarini tuzish toʻgʻrisida",
              $"Об образовании участковых избирательных комиссий: {name.ru}"),
            L($"""
              Oʻzbekiston Respublikasi Saylov kodeksining 23-moddasiga muvofiq hamda fuqarolarning oʻzini oʻzi boshqarish organlari va jamoat birlashmalarining takliflarini koʻrib chiqib, okrug saylov komissiyasi qaror qiladi:
              1. {numbers}-son saylov uchastkalarida {stations.Count} ta uchastka saylov komissiyasi tuzilsin; har bir komissiya tarkibi 5 nafardan 19 nafargacha aʼzodan iborat (ilova).
              2. Uchastka saylov komissiyalari saylovchilar roʻyxatini tuzsin va uni saylovdan oʻn besh kun oldin tanishib chiqish uchun taqdim etsin.
              3. Saylov kuni har bir saylov qutisi yonida navbatchi aʼzo belgilansin.
              """,
              $"""
              В соответствии со статьей 23 Избирательного кодекса Республики Узбекистан, рассмотрев предложения органов самоуправления граждан и общественных объединений, окружная избирательная комиссия постановляет:
              1. Образовать {stations.Count} участковых избирательных комиссий на избирательных участках № {numbers}; состав каждой комиссии — от 5 до 19 членов (приложение).
              2. Участковым избирательным комиссиям составить списки избирателей и представить их для ознакомления за пятнадцать дней до выборов.
              3. В день выборов закрепить за каждым избирательным ящиком дежурного члена комиссии.
              """)));
    }

    // ---- Regional commissions ----

    private static Draft CouncilCandidateRegistration(Commission commission, RegionDefinition region, ContestDefinition council, List<ConstituencyDefinition> constituencies,
        Dictionary<string, Dictionary<string, string>> parties, DateOnly date)
    {
        string Party(string id, string culture) => parties.TryGetValue(id, out var name) ? In(name, culture) : id;
        var (uz, ru) = (In(region.Name, "uz"), In(region.Name, "ru"));
        return new(date, commission, region.Id, region.Name, _ => (
            L($"Xalq deputatlari {uz} Kengashi deputatligiga nomzodlarni roʻyxatga olish toʻgʻrisida",
              $"О регистрации кандидатов в депутаты Кенгаша народных депутатов ({ru})"),
            L($"""
              Oʻzbekiston Respublikasi Saylov kodeksining 40 va 92-moddalariga muvofiq {commission.Name["uz"]} qaror qiladi:
              1. Quyidagi shaxslar xalq deputatlari {uz} Kengashi deputatligiga nomzod sifatida roʻyxatga olinsin:
              {Lines(constituencies, k => $"{In(k.Name, "uz")}:\n" + Lines(k.Candidates, c => $"  — {c.Name} ({Party(c.Party, "uz")})"))}
              2. Nomzodlarga guvohnomalar berilsin va ular toʻgʻrisidagi xabar besh kun ichida matbuotda eʼlon qilinsin.
              """,
              $"""
              В соответствии со статьями 40 и 92 Избирательного кодекса Республики Узбекистан {commission.Name["ru"]} постановляет:
              1. Зарегистрировать кандидатами в депутаты Кенгаша народных депутатов ({ru}):
              {Lines(constituencies, k => $"{In(k.Name, "ru")}:\n" + Lines(k.Candidates, c => $"  — {Cyrillic(c)} ({Party(c.Party, "ru")})"))}
              2. Выдать кандидатам удостоверения и в пятидневный срок опубликовать сообщение о регистрации в печати.
              """)));
    }

    private static Draft PartyObservers(Commission commission, RegionDefinition region, Dictionary<string, Dictionary<string, string>> parties, Random random, DateOnly date)
    {
        var counts = parties.Select(p => (Name: p.Value, Count: random.Next(40, 900))).ToList();
        var mahalla = random.Next(100, 1500);
        var (uz, ru) = (In(region.Name, "uz"), In(region.Name, "ru"));
        return new(date, commission, region.Id, region.Name, _ => (
            L($"Siyosiy partiyalar va fuqarolarning oʻzini oʻzi boshqarish organlaridan kuzatuvchilarni roʻyxatga olish toʻgʻrisida ({uz})",
              $"О регистрации наблюдателей от политических партий и органов самоуправления граждан ({ru})"),
            L($"""
              Oʻzbekiston Respublikasi Saylov kodeksining 33-moddasiga muvofiq, «E-Saylov» axborot tizimi orqali saylovdan kamida oʻn besh kun oldin kelib tushgan arizalarni koʻrib chiqib, {commission.Name["uz"]} qaror qiladi:
              1. Quyidagi kuzatuvchilarga mandatlar berilsin:
              {Lines(counts, c => $"— {In(c.Name, "uz")}: {c.Count} nafar")}
              — fuqarolarning oʻzini oʻzi boshqarish organlari: {mahalla} nafar
              2. Mandatlar «E-Saylov» axborot tizimida elektron shaklda rasmiylashtirilsin; kuzatuvchilar ovoz berish binosida mandat va shaxsini tasdiqlovchi hujjatni koʻrsatadi.
              """,
              $"""
              В соответствии со статьей 33 Избирательного кодекса Республики Узбекистан, рассмотрев заявки, поступившие через информационную систему «E-Saylov» не позднее чем за пятнадцать дней до выборов, {commission.Name["ru"]} постановляет:
              1. Выдать мандаты следующим наблюдателям:
              {Lines(counts, c => $"— {In(c.Name, "ru")}: {c.Count} чел.")}
              — органы самоуправления граждан: {mahalla} чел.
              2. Мандаты оформить в электронной форме в информационной системе «E-Saylov»; в помещении для голосования наблюдатель предъявляет мандат и документ, удостоверяющий личность.
              """)));
    }

    private static Draft NationalMedia(Commission commission, RegionDefinition region, Random random, DateOnly date)
    {
        var count = random.Next(12, 160);
        var (uz, ru) = (In(region.Name, "uz"), In(region.Name, "ru"));
        return new(date, commission, region.Id, region.Name, _ => (
            L($"Ommaviy axborot vositalari vakillarini akkreditatsiya qilish toʻgʻrisida ({uz})",
              $"Об аккредитации представителей средств массовой информации ({ru})"),
            L($"""
              Oʻzbekiston Respublikasi Saylov kodeksining 35-moddasiga muvofiq {commission.Name["uz"]} qaror qiladi:
              1. Respublika va mahalliy ommaviy axborot vositalarining {count} nafar vakili «E-Saylov» axborot tizimi orqali akkreditatsiya qilinsin.
              2. Akkreditatsiya qilingan vakillarga saylov jarayoniga oid muhim maʼlumotlar SMS-xabarnomalar orqali yuborilsin.
              3. Ommaviy axborot vositalari vakillari saylov kuni ovoz berish binolarida, shu jumladan ovozlarni sanab chiqishda hozir boʻlish huquqiga ega.
              """,
              $"""
              В соответствии со статьей 35 Избирательного кодекса Республики Узбекистан {commission.Name["ru"]} постановляет:
              1. Аккредитовать через информационную систему «E-Saylov» {count} представителей республиканских и местных средств массовой информации.
              2. Направлять аккредитованным представителям важную информацию о ходе выборов в виде SMS-уведомлений.
              3. Представители средств массовой информации вправе присутствовать в день выборов в помещениях для голосования, в том числе при подсчете голосов.
              """)));
    }

    private static Draft CouncilResults(Commission commission, RegionDefinition region, ContestDefinition council, DateOnly date)
    {
        var (uz, ru) = (In(region.Name, "uz"), In(region.Name, "ru"));
        var count = council.Constituencies.Count(k => k.RegionId == region.Id);
        return new(date, commission, region.Id, region.Name, _ => (
            L($"Xalq deputatlari {uz} Kengashiga saylov yakunlari toʻgʻrisida",
              $"Об итогах выборов в Кенгаш народных депутатов ({ru})"),
            L($"""
              Oʻzbekiston Respublikasi Saylov kodeksining 95, 96 va 97-moddalariga muvofiq, {count} ta saylov okrugi boʻyicha saylov uchastkalari bayonnomalari asosida {commission.Name["uz"]} qaror qiladi:
              1. Saylov yakunlari saylov uchastkalarining bayonnomalari asosida aniqlansin; ishtirok uchdan bir qismdan kam boʻlgan okruglarda saylov oʻtkazilmagan deb hisoblansin.
              2. Ushbu qaror saylovdan keyin oʻn kundan kechiktirmay matbuotda eʼlon qilinsin va ommaviy axborot vositalarida xabar qilinsin.
              """,
              $"""
              В соответствии со статьями 95, 96 и 97 Избирательного кодекса Республики Узбекистан, на основании протоколов избирательных участков по {count} избирательным округам {commission.Name["ru"]} постановляет:
              1. Итоги выборов определить на основании протоколов избирательных участков; в округах, где участие составило менее одной трети, признать выборы несостоявшимися.
              2. Опубликовать настоящее постановление в печати не позднее десяти дней после выборов и обнародовать в средствах массовой информации.
              """)));
    }

    // ---- Text helpers ----

    private static Dictionary<string, string> WithSignature(Dictionary<string, string> body, Commission commission, string number, DateOnly date)
    {
        var signed = new Dictionary<string, string>();
        foreach (var (culture, text) in body)
        {
            var place = culture switch
            {
                "ru" => $"{In(commission.Place, "ru")}, {RuDate(date)}, № {number}",
                "en" => $"{In(commission.Place, "en")}, {EnDate(date)}, No. {number}",
                "uz-Cyrl" => UzbekTransliteration.ToCyrillic($"{In(commission.Place, "uz")}, {UzDate(date)}, {number}"),
                _ => $"{In(commission.Place, "uz")}, {UzDate(date)}, {number}",
            };
            signed[culture] = $"{text.TrimEnd()}\n\n{In(commission.Chair, culture)}\n{place}";
        }
        return signed;
    }

    /// <summary>Uzbek Latin, its Cyrillic form, Russian and (where given) English.</summary>
    private static Dictionary<string, string> L(string uz, string ru, string? en = null)
    {
        // Names that are not Uzbek (the system's, the foreign media's and organisations') keep their Latin spelling in
        // Cyrillic texts: letter by letter they would come out as nonsense ("Эуронеwс").
        var cyrillic = UzbekTransliteration.ToCyrillic(uz, KeepLatin);
        var text = new Dictionary<string, string> { ["uz"] = uz, ["uz-Cyrl"] = cyrillic, ["ru"] = ru };
        if (en is not null) text["en"] = en;
        return text;
    }

    private static string In(IReadOnlyDictionary<string, string> text, string culture)
    {
        if (text.TryGetValue(culture, out var value) && value.Length > 0) return value;
        string[] fallback = culture is "ru" or "uz-Cyrl" ? ["uz-Cyrl", "ru", "uz", "en"] : ["uz", "en", "ru", "uz-Cyrl"];
        foreach (var c in fallback)
            if (text.TryGetValue(c, out value) && value.Length > 0) return c == "uz" && culture is "ru" or "uz-Cyrl" ? UzbekTransliteration.ToCyrillic(value) : value;
        return text.Values.FirstOrDefault() ?? "";
    }

    private static string Cyrillic(CandidateDefinition candidate) =>
        candidate.NameForms?.GetValueOrDefault("ru") ?? candidate.NameForms?.GetValueOrDefault("uz-Cyrl") ?? UzbekTransliteration.ToCyrillic(candidate.Name);

    private static string Lines<T>(IEnumerable<T> items, Func<T, string> line)
    {
        var text = new StringBuilder();
        foreach (var item in items)
        {
            if (text.Length > 0) text.Append('\n');
            text.Append(line(item));
        }
        return text.ToString();
    }

    private static readonly string[] UzMonths = ["yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr", "oktabr", "noyabr", "dekabr"];
    private static readonly string[] RuMonths = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"];

    private static string UzDate(DateOnly d) => $"{d.Year}-yil {d.Day}-{UzMonths[d.Month - 1]}";
    private static string RuDate(DateOnly d) => $"{d.Day} {RuMonths[d.Month - 1]} {d.Year} года";
    private static string EnDate(DateOnly d) => d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);
}
