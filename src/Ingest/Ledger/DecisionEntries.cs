using System.Globalization;
using System.Text.Json;
using Portal.Grains.Ledger;

namespace Portal.Ingest.Ledger;

/// <summary>A published commission decision as the ledger holds it (kind <see cref="LedgerKinds.Decision"/>).</summary>
public sealed record DecisionRecord(
    string Id, string Number, DateOnly Date, string CommissionId, IReadOnlyDictionary<string, string> Title,
    IReadOnlyDictionary<string, string> Body, long LedgerSeq, string EntryHash, DateTimeOffset PublishedAt);

/// <summary>The canonical JSON of a decision ledger entry: fixed field order, languages sorted, compact.</summary>
public static class DecisionPayload
{
    public static string Write(string id, string number, DateOnly date, string commissionId,
        IReadOnlyDictionary<string, string> title, IReadOnlyDictionary<string, string> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("number", number);
            w.WriteString("date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteString("commissionId", commissionId);
            Texts(w, "title", title);
            Texts(w, "body", body);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The decision of an entry's payload, with the entry's sequence, hash and time.</summary>
    public static DecisionRecord Read(LedgerEntry entry)
    {
        using var doc = JsonDocument.Parse(entry.Payload);
        var r = doc.RootElement;
        return new DecisionRecord(r.GetProperty("id").GetString()!, r.GetProperty("number").GetString()!,
            DateOnly.ParseExact(r.GetProperty("date").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            r.GetProperty("commissionId").GetString()!, Texts(r.GetProperty("title")), Texts(r.GetProperty("body")),
            entry.Seq, entry.Hash, entry.ReceivedAt);
    }

    private static void Texts(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, string> texts)
    {
        w.WriteStartObject(name);
        foreach (var (lang, text) in texts.OrderBy(kv => kv.Key, StringComparer.Ordinal)) w.WriteString(lang, text);
        w.WriteEndObject();
    }

    private static Dictionary<string, string> Texts(JsonElement e) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
}

/// <summary>Appends a published decision to the ledger: a commission entry (no station, no signed request).</summary>
public sealed class DecisionLedgerWriter(ILedgerStore ledger, TimeProvider time)
{
    public Task<LedgerEntry> AppendAsync(string id, string number, DateOnly date, string commissionId,
        IReadOnlyDictionary<string, string> title, IReadOnlyDictionary<string, string> body, CancellationToken cancellationToken = default) =>
        ledger.AppendAsync(new LedgerAppend(LedgerKinds.Decision, "", DecisionPayload.Write(id, number, date, commissionId, title, body),
            time.GetUtcNow(), null), cancellationToken);
}
