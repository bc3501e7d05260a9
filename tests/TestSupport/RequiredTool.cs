using Xunit;

namespace Portal.TestSupport;

public static class RequiredTool
{
    /// <summary>The full path of a tool the test needs; fails the test, naming the tool, when it is missing.</summary>
    public static string Find(string name, string installHint)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/sbin").Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        Assert.Fail($"This test needs the tool '{name}', which is not installed. Install it with: {installHint} (infra/setup.sh does).");
        return "";
    }
}
