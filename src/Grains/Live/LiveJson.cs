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
}
