using System.Text.Json;
using Portal.Grains.Live;

namespace Portal.Ingest;

/// <summary>camelCase JSON, enums as strings: the contract's conventions.</summary>
public static class IngestJson
{
    public static JsonSerializerOptions Options => LiveJson.Options;
}
