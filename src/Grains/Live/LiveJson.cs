using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Grains.Abstractions;

namespace Portal.Grains.Live;

/// <summary>The JSON the public surfaces speak (camelCase, enums as camelCase strings); used for live messages.</summary>
public static class LiveJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static LiveMessage Message<T>(string topic, string type, T state) =>
        new(topic, type, JsonSerializer.Serialize(state, Options), DateTimeOffset.UtcNow);

    /// <summary>
    /// The JSON of <paramref name="results"/> (whose station list is left empty) with the given station rows, each already
    /// serialised with <see cref="Options"/>: the same text <c>JsonSerializer.Serialize</c> gives for the full results,
    /// while a constituency re-serialises only the rows that changed.
    /// </summary>
    public static string ConstituencyResults(ConstituencyResults results, IReadOnlyList<string> rowJson)
    {
        var shell = JsonSerializer.Serialize(results with { Stations = [] }, Options);
        // "stations" is the last property; inside a JSON string the quotes would be escaped, so this is the property.
        const string Marker = "\"stations\":[]";
        var at = shell.LastIndexOf(Marker, StringComparison.Ordinal);
        if (at < 0) throw new InvalidOperationException("ConstituencyResults JSON has no stations array");
        var split = at + Marker.Length - 1;
        // Written once at its exact length: for a large constituency the text is a large-object-heap string, and a
        // StringBuilder would allocate it twice (its chunks, then the copy).
        var length = shell.Length + Math.Max(0, rowJson.Count - 1);
        foreach (var row in rowJson) length += row.Length;
        return string.Create(length, (shell, split, rowJson), static (span, state) =>
        {
            var (shell, split, rows) = state;
            shell.AsSpan(0, split).CopyTo(span);
            var at = split;
            for (var i = 0; i < rows.Count; i++)
            {
                if (i > 0) span[at++] = ',';
                rows[i].CopyTo(span[at..]);
                at += rows[i].Length;
            }
            shell.AsSpan(split).CopyTo(span[at..]);
        });
    }
}
