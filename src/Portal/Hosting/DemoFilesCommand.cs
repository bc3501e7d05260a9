using Portal.Grains.Model;
using Serilog;
using Serilog.Extensions.Logging;

namespace Portal.Hosting;

/// <summary>
/// <c>Portal generate-demo --data-dir DIR [--Demo:Day yyyy-MM-dd] [--Demo:Stations N] ...</c>: writes the demo election and
/// its station keys into DIR/demo (election.json, station-keys.csv, station-private-keys.csv) exactly as a demo start
/// does, and exits. A cluster copies these files to every node's data dir, so all nodes play the same election with the
/// same keys; a node would otherwise generate keys of its own.
/// </summary>
public static class DemoFilesCommand
{
    public const string Name = "generate-demo";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(args[1..]).Build();
        var options = PortalOptions.From(configuration);
        if (!options.IsDemo)
        {
            error.WriteLine("usage: Portal generate-demo --data-dir DIR [--Demo:Day yyyy-MM-dd] [--Demo:Stations N] [--Demo:Seed N] [--Demo:ActiveCameraStations N]");
            return 2;
        }
        var demo = configuration.GetSection(DemoOptions.Section).Get<DemoOptions>() ?? new DemoOptions();
        using var loggerFactory = new SerilogLoggerFactory(new LoggerConfiguration().WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Verbose).CreateLogger(), dispose: true);
        try
        {
            var catalog = ElectionSetup.Load(options, demo, loggerFactory.CreateLogger("Portal.GenerateDemo"));
            var folder = Path.Combine(options.DataDir, "demo");
            var day = TimeZoneInfo.ConvertTime(catalog.Election.PollsOpen, catalog.TimeZone);
            // One line a script can read: the day is passed to every node as --Demo:Day so that all generate the same election.
            output.WriteLine($"day={day:yyyy-MM-dd} election={catalog.Election.Id} stations={catalog.Election.Stations.Count} folder={folder}");
            return 0;
        }
        catch (Exception e) when (e is DefinitionException or FormatException or IOException)
        {
            error.WriteLine(e.Message);
            return 2;
        }
    }
}
