using Portal.Grains.Model;
using Portal.Search;

namespace Portal.Hosting;

internal static class StartupErrors
{
    /// <summary>api.md section 1 "Election definition": a definition that fails validation stops the start with exit code 2.</summary>
    public const int InvalidDefinitionExitCode = 2;

    /// <summary>A hosting configuration that cannot work (see <see cref="HostingPlan"/>) stops the start the same way.</summary>
    public const int InvalidConfigurationExitCode = 2;

    public static void Print(HostingPlanException e)
    {
        Console.Error.WriteLine($"The hosting configuration was refused ({e.Errors.Count} error(s)):");
        foreach (var error in e.Errors) Console.Error.WriteLine($"  {error}");
    }

    public static void Print(DefinitionException e)
    {
        Console.Error.WriteLine($"The election definition was refused ({e.Errors.Count} error(s)):");
        foreach (var error in e.Errors) Console.Error.WriteLine($"  {error}");
    }

    public static void Print(SearchConfigurationException e)
    {
        // The errors name keys only, never values (some are credentials).
        Console.Error.WriteLine($"The search settings were refused ({e.Errors.Count} error(s)):");
        foreach (var error in e.Errors) Console.Error.WriteLine($"  {error}");
    }
}
