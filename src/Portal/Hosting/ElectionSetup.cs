using Portal.Grains.Demo;
using Portal.Grains.Model;

namespace Portal.Hosting;

/// <summary>Loads the election named by <c>--election</c>, or generates (and reuses) the demo election in the data dir.</summary>
public static class ElectionSetup
{
    private static readonly TimeZoneInfo Tashkent = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tashkent");

    /// <exception cref="DefinitionException">the file or its keys fail validation.</exception>
    public static ElectionCatalog Load(PortalOptions options, DemoOptions demo, ILogger logger)
    {
        if (!options.IsDemo)
        {
            var election = ElectionDefinitionLoader.LoadFile(options.Election!);
            var keys = options.StationKeys is null
                ? []
                : StationKeyFiles.ReadPublic(options.StationKeys, election.Stations.Select(s => s.Id).ToHashSet(StringComparer.Ordinal));
            if (keys.Count == 0) logger.LogWarning("No station keys loaded: every station submission will be refused (401).");
            logger.LogInformation("Election {ElectionId} loaded: {Stations} stations, {Keys} station keys.", election.Id, election.Stations.Count, keys.Count);
            return new ElectionCatalog(election, keys);
        }
        return GenerateDemo(options, demo, logger);
    }

    private static ElectionCatalog GenerateDemo(PortalOptions options, DemoOptions demo, ILogger logger)
    {
        var day = string.IsNullOrEmpty(demo.Day)
            ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Tashkent).DateTime)
            : DateOnly.ParseExact(demo.Day, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var election = DemoElectionGenerator.Generate(new DemoElectionOptions
        {
            Seed = demo.Seed, Stations = demo.Stations, ActiveCameraStations = demo.ActiveCameraStations, ElectionDay = day,
        });
        var folder = Path.Combine(options.DataDir, "demo");
        Directory.CreateDirectory(folder);
        ElectionDefinitionLoader.Save(election, Path.Combine(folder, "election.json"));

        // Keys survive restarts so that ledger entries signed before a restart still verify.
        var publicPath = options.StationKeys ?? Path.Combine(folder, "station-keys.csv");
        var privatePath = Path.Combine(folder, "station-private-keys.csv");
        var stationIds = election.Stations.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<StationPublicKey>? keys = null;
        if (File.Exists(publicPath) && File.Exists(privatePath))
        {
            try
            {
                keys = StationKeyFiles.ReadPublic(publicPath);
                if (!stationIds.SetEquals(keys.Select(k => k.StationId))) keys = null;
            }
            catch (DefinitionException) { keys = null; }
        }
        if (keys is null)
        {
            var (publicKeys, privateKeys) = DemoElectionGenerator.GenerateKeys(election.Stations);
            StationKeyFiles.WritePrivate(privatePath, privateKeys);
            StationKeyFiles.WritePublic(publicPath, publicKeys);
            keys = publicKeys;
            logger.LogInformation("Demo station keys written to {PublicKeys} (public) and {PrivateKeys} (private, for the simulator).", publicPath, privatePath);
        }
        logger.LogInformation("Demo election {ElectionId} generated: {Stations} stations, cameras active at {ActiveStations} stations.",
            election.Id, election.Stations.Count, demo.ActiveCameraStations);
        return new ElectionCatalog(election, keys);
    }
}
