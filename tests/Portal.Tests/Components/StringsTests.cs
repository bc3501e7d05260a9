using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Portal.Tests.Components;

/// <summary>The four languages' resources have the same keys, no empty text, and the same placeholders per key.</summary>
public sealed partial class StringsTests
{
    private static string LocalizationDir
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Portal.sln"))) dir = dir.Parent;
            return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("Portal.sln not found"), "src", "Portal", "Localization");
        }
    }

    private static Dictionary<string, string> Read(string file) =>
        XDocument.Load(Path.Combine(LocalizationDir, file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();

    private static string Placeholders(string text) => string.Join(",", Placeholder().Matches(text).Select(m => m.Value).Distinct().Order());

    [Theory]
    [InlineData("Strings.uz-Cyrl.resx")]
    [InlineData("Strings.ru.resx")]
    [InlineData("Strings.en.resx")]
    public void EveryLanguageHasEveryStringWithTheSamePlaceholders(string file)
    {
        var neutral = Read("Strings.resx");
        var other = Read(file);
        Assert.Empty(neutral.Keys.Except(other.Keys));
        Assert.Empty(other.Keys.Except(neutral.Keys));
        Assert.Empty(other.Where(kv => string.IsNullOrWhiteSpace(kv.Value)).Select(kv => kv.Key));
        Assert.Empty(neutral.Where(kv => string.IsNullOrWhiteSpace(kv.Value)).Select(kv => kv.Key));
        Assert.Empty(neutral.Where(kv => Placeholders(kv.Value) != Placeholders(other[kv.Key])).Select(kv => $"{kv.Key}: {kv.Value} / {other[kv.Key]}"));
    }
}
