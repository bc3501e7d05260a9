namespace Portal.Hosting;

/// <summary>
/// Where each part keeps its data under <c>--data-dir</c>, and what the demo turns on. Every value is a
/// default: a setting given in configuration or on the command line wins.
/// </summary>
public static class DataLayout
{
    public static void ApplyDefaults(IConfigurationManager configuration, PortalOptions options)
    {
        var data = options.DataDir;
        var defaults = new Dictionary<string, string?>
        {
            ["Gateway:DataDir"] = Path.Combine(data, "video"),
            ["Gateway:RuntimeDir"] = Path.Combine(data, "run"),
            ["Search:IndexPath"] = Path.Combine(data, "search"),
            ["Ledger:Path"] = Path.Combine(data, "ledger.db"),
            ["Counting:StorePath"] = Path.Combine(data, "counting.db"),
        };
        if (options.IsDemo)
        {
            var demo = Path.Combine(data, "demo");
            Directory.CreateDirectory(demo);
            // The demo plays its election day from 07:30 on every start, so it starts from an empty ledger:
            // a ledger of an earlier run would hold protocols from "the future" of the new day.
            defaults["Ledger:Path"] = Path.Combine(demo, "ledger.db");
            // Volunteer counts of an earlier demo day go with its ledger (the demo's video starts again as well).
            defaults["Counting:StorePath"] = Path.Combine(demo, "counting.db");
            defaults["Demo:Enabled"] = "true";
            defaults["Simulator:Enabled"] = "true";
            defaults["Simulator:PrivateKeysPath"] = Path.Combine(demo, "station-private-keys.csv");
            if (configuration["Demo:KeepLedger"] != "true")
                foreach (var file in new[] { "ledger.db", "ledger.db-wal", "ledger.db-shm", "counting.db", "counting.db-wal", "counting.db-shm" })
                    File.Delete(Path.Combine(demo, file));
        }
        var unset = defaults.Where(d => string.IsNullOrEmpty(configuration[d.Key])).ToDictionary();
        configuration.AddInMemoryCollection(unset);
    }
}
