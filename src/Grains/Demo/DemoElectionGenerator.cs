using System.Security.Cryptography;
using Portal.Grains.Model;
using Portal.Grains.Text;

namespace Portal.Grains.Demo;

public sealed record DemoElectionOptions
{
    public const int DefaultStations = 1500;
    public const int DefaultActiveCameraStations = 12;
    public const int LegislativeConstituencies = 150;
    public const int CouncilConstituenciesPerRegion = 8;

    public int Seed { get; init; } = 2024;
    public int Stations { get; init; } = DefaultStations;

    /// <summary>The cameras of the first N stations are enabled; the rest are defined but not streamed.</summary>
    public int ActiveCameraStations { get; init; } = DefaultActiveCameraStations;
    public DateOnly ElectionDay { get; init; } = new(2024, 10, 27);
}

/// <summary>Generates a realistic election of Uzbekistan, deterministic from the seed and the day.</summary>
public static class DemoElectionGenerator
{
    public const string LegislativeContestId = "legislative";
    public const string CouncilContestId = "regional-council";
    private static readonly TimeSpan TashkentOffset = TimeSpan.FromHours(5);

    public static ElectionDefinition Generate(DemoElectionOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Stations, 1);
        var random = new Random(options.Seed);
        var regions = UzbekistanData.Regions;
        var day = options.ElectionDay;
        var election = new ElectionDefinition
        {
            Id = $"uz-{day:yyyy-MM-dd}",
            Name = new()
            {
                ["uz"] = $"Oʻzbekiston Respublikasi Oliy Majlisi Qonunchilik palatasi va xalq deputatlari Kengashlariga saylov, {day:yyyy}",
                ["uz-Cyrl"] = $"Ўзбекистон Республикаси Олий Мажлиси Қонунчилик палатаси ва халқ депутатлари Кенгашларига сайлов, {day:yyyy}",
                ["ru"] = $"Выборы в Законодательную палату Олий Мажлиса и Кенгаши народных депутатов Республики Узбекистан, {day:yyyy}",
                ["en"] = $"Elections to the Legislative Chamber of the Oliy Majlis and the local councils of Uzbekistan, {day:yyyy}",
            },
            TimeZone = "Asia/Tashkent",
            PollsOpen = new DateTimeOffset(day.ToDateTime(new TimeOnly(8, 0)), TashkentOffset),
            PollsClose = new DateTimeOffset(day.ToDateTime(new TimeOnly(20, 0)), TashkentOffset),
            Parties = [.. UzbekistanData.Parties.Select(p => new PartyDefinition
                { Id = p.Id, Name = new() { ["uz"] = p.Uz, ["uz-Cyrl"] = UzbekTransliteration.ToCyrillic(p.Uz), ["ru"] = p.Ru, ["en"] = p.En } })],
            Regions = [.. regions.Select(r => new RegionDefinition
                { Id = r.Id, Name = new() { ["uz"] = r.Uz, ["uz-Cyrl"] = r.UzCyrl, ["ru"] = r.Ru, ["en"] = r.En } })],
        };

        var population = regions.Select(r => (double)r.PopulationThousands).ToArray();
        var legislativePerRegion = Apportion(DemoElectionOptions.LegislativeConstituencies, population);
        var stationsPerRegion = Apportion(options.Stations, population);

        var legislative = new ContestDefinition
        {
            Id = LegislativeContestId, Kind = "legislative",
            Name = new() { ["uz"] = "Oliy Majlis Qonunchilik palatasi", ["uz-Cyrl"] = "Олий Мажлис Қонунчилик палатаси",
                ["ru"] = "Законодательная палата Олий Мажлиса", ["en"] = "Legislative Chamber of the Oliy Majlis" },
        };
        var council = new ContestDefinition
        {
            Id = CouncilContestId, Kind = "regional-council",
            Name = new() { ["uz"] = "Xalq deputatlari viloyat Kengashlari", ["uz-Cyrl"] = "Халқ депутатлари вилоят Кенгашлари",
                ["ru"] = "Областные Кенгаши народных депутатов", ["en"] = "Regional councils of people's deputies" },
        };
        election.Contests = [legislative, council];

        var cameraQuotas = CameraQuotas(options.ActiveCameraStations, stationsPerRegion);
        var legislativeNumber = 0;
        var stationNumber = 0;
        for (var ri = 0; ri < regions.Length; ri++)
        {
            var region = regions[ri];
            var regionLegislative = new List<ConstituencyDefinition>();
            for (var k = 0; k < legislativePerRegion[ri]; k++)
            {
                var id = (++legislativeNumber).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var district = region.Districts[k % region.Districts.Length];
                regionLegislative.Add(new ConstituencyDefinition
                {
                    Id = id, RegionId = region.Id, Name = ConstituencyName(district, id),
                    Candidates = Candidates(random, $"c-{id}"),
                });
            }
            var regionCouncil = new List<ConstituencyDefinition>();
            for (var k = 1; k <= DemoElectionOptions.CouncilConstituenciesPerRegion; k++)
            {
                var district = region.Districts[(k - 1) % region.Districts.Length];
                var id = $"{region.Id}-{k}";
                regionCouncil.Add(new ConstituencyDefinition
                {
                    Id = id, RegionId = region.Id, Name = ConstituencyName(district, k.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    Candidates = Candidates(random, $"c-rc-{id}"),
                });
            }
            legislative.Constituencies.AddRange(regionLegislative);
            council.Constituencies.AddRange(regionCouncil);

            var count = stationsPerRegion[ri];
            var perConstituency = new int[regionLegislative.Count];
            for (var j = 0; j < count; j++)
            {
                var li = (int)((long)j * regionLegislative.Count / count);
                var ci = (int)((long)j * regionCouncil.Count / count);
                var constituency = regionLegislative[li];
                var stationId = $"{constituency.Id}-{++perConstituency[li]:D4}";
                var number = ++stationNumber;
                var district = region.Districts[li % region.Districts.Length];
                var address = Address(random, district, number);
                // Live cameras spread over the regions (the first stations of each, round-robin), so a visitor from
                // any region finds one near them.
                var camerasOn = j < cameraQuotas[ri];
                var votersOnList = VotersOnList(random);
                // A streaming station is a small one (a village, a hospital): at the demo's accelerated clock its ballots
                // still drop slowly enough to be counted at 1x (docs/counting.md). Drawn after the list, so the others stay.
                if (camerasOn) votersOnList = SmallStationList(votersOnList);
                election.Stations.Add(new StationDefinition
                {
                    Id = stationId, Number = number, RegionId = region.Id,
                    Address = address.Uz, AddressForms = new() { ["uz-Cyrl"] = UzbekTransliteration.ToCyrillic(address.Uz), ["ru"] = address.Ru },
                    VotersOnList = votersOnList,
                    Constituencies = new() { [legislative.Id] = constituency.Id, [council.Id] = regionCouncil[ci].Id },
                    Cameras =
                    [
                        new CameraDefinition { Id = $"cam-{stationId}-a", Source = CameraSources.Demo, Enabled = camerasOn, View = CameraViews.BallotBox },
                        new CameraDefinition { Id = $"cam-{stationId}-b", Source = CameraSources.Demo, Enabled = camerasOn },
                    ],
                });
            }
        }
        return election;
    }

    /// <summary>
    /// How many of each region's stations have live cameras: the total dealt out one by one over the regions in turn,
    /// skipping a region whose stations all have theirs (so a total of every station turns every camera on).
    /// </summary>
    internal static int[] CameraQuotas(int total, IReadOnlyList<int> stationsPerRegion)
    {
        var quotas = new int[stationsPerRegion.Count];
        var left = Math.Min(total, stationsPerRegion.Sum());
        while (left > 0)
            for (var r = 0; r < quotas.Length && left > 0; r++)
                if (quotas[r] < stationsPerRegion[r]) { quotas[r]++; left--; }
        return quotas;
    }

    /// <summary>A fresh key pair per station. Deliberately not derived from the seed: a demo key must not be guessable.</summary>
    public static (List<StationPublicKey> Public, List<StationPrivateKey> Private) GenerateKeys(IEnumerable<StationDefinition> stations)
    {
        var publicKeys = new List<StationPublicKey>();
        var privateKeys = new List<StationPrivateKey>();
        foreach (var station in stations)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var keyId = $"k-{station.Id}-1";
            publicKeys.Add(new StationPublicKey(station.Id, keyId, key.ExportSubjectPublicKeyInfo()));
            privateKeys.Add(new StationPrivateKey(station.Id, keyId, key.ExportPkcs8PrivateKey()));
        }
        return (publicKeys, privateKeys);
    }

    // The Russian name is built from Russian words (Самарканд, not Самарқанд), the place after the number as the CEC's
    // Russian lists have it when the district has no settled adjective.
    private static Dictionary<string, string> ConstituencyName(string district, string number) => new()
    {
        ["uz"] = $"{district} saylov okrugi №{number}",
        ["uz-Cyrl"] = $"{UzbekTransliteration.ToCyrillic(district)} сайлов округи №{number}",
        ["ru"] = $"Избирательный округ № {number} ({RussianForms.Place(district)})",
        ["en"] = $"{district} constituency No. {number}",
    };

    private static List<CandidateDefinition> Candidates(Random random, string idPrefix)
    {
        // One candidate per party in a constituency, so 3 to 5 of the five registered parties.
        var parties = UzbekistanData.Parties.OrderBy(_ => random.Next()).Take(random.Next(3, 6)).ToList();
        return [.. parties.Select((party, i) =>
        {
            var name = PersonName(random);
            return new CandidateDefinition
            {
                Id = $"{idPrefix}-{i + 1}", Name = name, Party = party.Id,
                NameForms = new() { ["uz-Cyrl"] = UzbekTransliteration.ToCyrillic(name), ["ru"] = RussianForms.Person(name) },
            };
        })];
    }

    private static string PersonName(Random random)
    {
        var female = random.Next(100) < 35;
        var surname = Pick(random, UzbekistanData.SurnameStems);
        var father = Pick(random, UzbekistanData.MaleNames);
        var fatherStem = father.EndsWith('o') ? father[..^1] + "oyev" : father.EndsWith('a') ? father + "yev" : father + "ov";
        return female
            ? $"{surname}a {Pick(random, UzbekistanData.FemaleNames)} {fatherStem}na"
            : $"{surname} {Pick(random, UzbekistanData.MaleNames)} {fatherStem}ich";
    }

    // Drawn in the same order as before the Russian form was added, so a seed still gives the same stations.
    private static (string Uz, string Ru) Address(Random random, string district, int stationNumber)
    {
        var street = Pick(random, UzbekistanData.Streets);
        var house = random.Next(1, 120);
        var building = Pick(random, UzbekistanData.Buildings);
        var buildingNumber = (stationNumber % 97) + 1;
        return ($"{district}, {street} koʻchasi, {house}-uy, {buildingNumber}-{building}",
            $"{RussianForms.Place(district)}, {RussianForms.Street(street)}, дом {house}, {RussianForms.Building(building)} № {buildingNumber}");
    }

    private static int VotersOnList(Random random)
    {
        // Most stations serve a mahalla (800..3000); a few serve hospitals, remote villages, military units.
        if (random.Next(100) < 8) return random.Next(ElectionDefinitionValidator.MinVotersOnList, 400);
        var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return Math.Clamp((int)(1700 + 500 * gaussian), 400, ElectionDefinitionValidator.MaxVotersOnList);
    }

    /// <summary>150..349 voters, derived from the list drawn anyway so the generator's random sequence is unchanged.</summary>
    private static int SmallStationList(int drawn) => 150 + drawn % 200;

    private static T Pick<T>(Random random, T[] items) => items[random.Next(items.Length)];

    /// <summary>Largest-remainder apportionment of <paramref name="total"/> seats by weight, at least one each where possible.</summary>
    internal static int[] Apportion(int total, double[] weights)
    {
        var sum = weights.Sum();
        var exact = weights.Select(w => total * w / sum).ToArray();
        var seats = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var left = total - seats.Sum();
        foreach (var i in Enumerable.Range(0, weights.Length).OrderByDescending(i => exact[i] - seats[i]).ThenBy(i => i).Take(left))
            seats[i]++;
        return seats;
    }
}
