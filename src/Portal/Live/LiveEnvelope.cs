using System.Text.Json;

namespace Portal.Live;

/// <summary>
/// What a viewer receives for <c>turnout</c>, <c>results</c> and <c>camera</c> (api.md section 4 "Live hub"): the topic, the newest
/// state (not a delta), when a grain produced it and when this server sent it (viewers measure delivery latency from it).
/// </summary>
public sealed record LiveEnvelope(string Topic, JsonElement State, DateTimeOffset ProducedAt, DateTimeOffset SentAt);
