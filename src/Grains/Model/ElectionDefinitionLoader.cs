using System.Text.Json;
using System.Text.Json.Serialization;

namespace Portal.Grains.Model;

/// <summary>Reads and validates the election file (api.md section 1 "Election definition").</summary>
public static class ElectionDefinitionLoader
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    public static ElectionDefinition LoadFile(string path)
    {
        if (!File.Exists(path)) throw new DefinitionException([new DefinitionError(path, "file not found")]);
        using var stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <exception cref="DefinitionException">with every error found.</exception>
    public static ElectionDefinition Load(Stream json)
    {
        ElectionDefinition? election;
        try
        {
            election = JsonSerializer.Deserialize<ElectionDefinition>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new DefinitionException([new DefinitionError(JsonPath(e.Path), Clean(e.Message))]);
        }
        if (election is null) throw new DefinitionException([new DefinitionError("$", "the file holds no election")]);
        var errors = ElectionDefinitionValidator.Validate(election);
        if (errors.Count > 0) throw new DefinitionException(errors);
        return election;
    }

    public static void Save(ElectionDefinition election, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var stream = File.Create(path);
        JsonSerializer.Serialize(stream, election, JsonOptions);
    }

    private static string JsonPath(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? "$" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    // System.Text.Json appends "Path: ... | LineNumber: ..." which the error already carries.
    private static string Clean(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
