using System.Text.RegularExpressions;
using Portal.Grains.Abstractions;
using Portal.Ingest.Decisions;
using Portal.Ingest.Ledger;
using Portal.Grains.Model;
using Portal.Grains.Results;
using Portal.Search.Documents;

namespace Portal.Ops;

/// <summary>What a publisher fills in. Texts map a culture (uz, uz-Cyrl, ru, en) to text.</summary>
public sealed record DecisionDraft(
    string Number, DateOnly Date, string CommissionId,
    IReadOnlyDictionary<string, string> Title, IReadOnlyDictionary<string, string> Body);

public sealed class OpsValidationException(IReadOnlyList<FieldError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}

/// <summary>
/// Publishes commission decisions: ledger first (durable, hash-chained, public), then the search index (searchable when
/// the call returns). Invalidates a station's result by a published decision through the station grain (Art. 96).
/// </summary>
public sealed partial class OpsDecisionService(
    IDecisionPublisher publisher, OpsLedgerView view, ElectionCatalog catalog, IGrainFactory grains,
    TimeProvider time, ILogger<OpsDecisionService> logger)
{
    public static readonly IReadOnlyList<string> Languages = ["uz", "uz-Cyrl", "ru", "en"];
    public const string CentralCommissionId = "cec";
    public const int MaxTitle = 500;
    public const int MaxBody = 100_000;

    private static readonly Dictionary<string, string> CentralCommissionName = new()
    {
        ["uz"] = "Oʻzbekiston Respublikasi Markaziy saylov komissiyasi",
        ["uz-Cyrl"] = "Ўзбекистон Республикаси Марказий сайлов комиссияси",
        ["ru"] = "Центральная избирательная комиссия Республики Узбекистан",
        ["en"] = "Central Election Commission of the Republic of Uzbekistan",
    };

    /// <summary>The commissions a publisher may publish for: the CEC and each region's commission.</summary>
    public IReadOnlyList<(string Id, IReadOnlyDictionary<string, string> Name)> Commissions => CommissionsOf(catalog);

    public static IReadOnlyList<(string Id, IReadOnlyDictionary<string, string> Name)> CommissionsOf(ElectionCatalog catalog) =>
        [(CentralCommissionId, CentralCommissionName), .. catalog.Election.Regions.Select(r => ($"region-{r.Id}", (IReadOnlyDictionary<string, string>)r.Name))];

    /// <summary>Stable page id of a decision number ("MSK-1325-son" -> "msk-1325-son").</summary>
    public static string IdOf(string number) => SlugPattern().Replace(number.Trim().ToLowerInvariant(), "-").Trim('-');

    /// <exception cref="OpsValidationException">with a field error per problem; nothing is written then.</exception>
    public async Task<DecisionRecord> PublishAsync(DecisionDraft draft, string publishedBy, CancellationToken cancellationToken = default)
    {
        var errors = Validate(draft);
        if (errors.Count > 0) throw new OpsValidationException(errors);
        var id = IdOf(draft.Number);
        var record = new DecisionRecord(id, draft.Number.Trim(), draft.Date, draft.CommissionId, Clean(draft.Title), Clean(draft.Body), 0, "", default);
        // Ledger first (LedgerDecisionArchive), then the search index: when this returns the decision is durable and searchable.
        // The publisher's name stays in the server's audit log, not in the public ledger.
        await publisher.PublishAsync(ToDocument(record), cancellationToken);
        await view.CatchUpAsync(cancellationToken);
        record = view.FindDecision(id) ?? record;
        LogPublished(id, record.LedgerSeq, publishedBy);
        return record;
    }

    /// <summary>Invalidates (or, with <paramref name="invalidated"/> false, reinstates) a station's result in a contest by a published decision.</summary>
    /// <exception cref="OpsValidationException">unknown station, contest or decision, or no reason.</exception>
    public async Task<SubmissionReceipt> InvalidateAsync(string stationId, string contestId, string decisionId, string reason, bool invalidated, string by)
    {
        var errors = new List<FieldError>();
        var station = catalog.FindStation(stationId?.Trim() ?? "");
        if (station is null) errors.Add(new("stationId", "unknown", $"no station \"{stationId}\""));
        else if (!station.Constituencies.ContainsKey(contestId ?? "")) errors.Add(new("contestId", "unknown", $"station {station.Id} votes in no contest \"{contestId}\""));
        if (view.FindDecision(decisionId ?? "") is null) errors.Add(new("decisionId", "unknown", "publish the decision first, then invalidate by it"));
        if (string.IsNullOrWhiteSpace(reason)) errors.Add(new("reason", "required", "give the reason as the decision states it"));
        else if (reason.Length > 2000) errors.Add(new("reason", "too-long", "at most 2,000 characters"));
        if (errors.Count > 0) throw new OpsValidationException(errors);
        var receipt = await grains.GetGrain<IPollingStationGrain>(GrainKeys.Station(catalog.Election.Id, station!.Id))
            .InvalidateAsync(new StationInvalidation(contestId!, decisionId!, reason.Trim(), invalidated));
        await view.CatchUpAsync();
        LogInvalidated(station.Id, contestId!, decisionId!, invalidated, receipt.LedgerSeq, by);
        return receipt;
    }

    public DecisionDocument ToDocument(DecisionRecord d) => ToDocument(d, catalog);

    public static DecisionDocument ToDocument(DecisionRecord d, ElectionCatalog catalog)
    {
        var commission = CommissionsOf(catalog).FirstOrDefault(c => c.Id == d.CommissionId);
        var regionId = d.CommissionId.StartsWith("region-", StringComparison.Ordinal) ? d.CommissionId["region-".Length..] : null;
        return new DecisionDocument
        {
            Id = d.Id, Number = d.Number, Date = d.Date, CommissionId = d.CommissionId,
            Commission = commission.Name ?? new Dictionary<string, string>(), Title = d.Title, Body = d.Body,
            RegionId = regionId, Region = regionId is null ? new Dictionary<string, string>() : catalog.Election.Regions.FirstOrDefault(r => r.Id == regionId)?.Name ?? [],
            Url = $"/decisions/{Uri.EscapeDataString(d.Id)}",
        };
    }

    private List<FieldError> Validate(DecisionDraft d)
    {
        var errors = new List<FieldError>();
        var number = d.Number?.Trim() ?? "";
        if (number.Length == 0) errors.Add(new("number", "required", "the decision number is required"));
        else if (number.Length > 64 || !NumberPattern().IsMatch(number)) errors.Add(new("number", "invalid", "letters, digits, spaces and - / . only, at most 64 characters"));
        else if (IdOf(number).Length == 0) errors.Add(new("number", "invalid", "the number needs at least one letter or digit"));
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (d.Date < new DateOnly(1991, 9, 1) || d.Date > today.AddDays(1)) errors.Add(new("date", "out-of-range", "the date must not be in the future"));
        if (!Commissions.Any(c => c.Id == d.CommissionId)) errors.Add(new("commissionId", "unknown", $"unknown commission \"{d.CommissionId}\""));
        var title = Clean(d.Title);
        var body = Clean(d.Body);
        foreach (var lang in title.Keys.Concat(body.Keys).Where(l => !Languages.Contains(l)).Distinct())
            errors.Add(new($"title.{lang}", "language", $"language must be one of {string.Join(", ", Languages)}"));
        if (title.Count == 0) errors.Add(new("title", "required", "a title in at least one language is required"));
        foreach (var (lang, text) in title.Where(t => t.Value.Length > MaxTitle)) errors.Add(new($"title.{lang}", "too-long", $"at most {MaxTitle} characters"));
        foreach (var lang in title.Keys.Where(l => !body.ContainsKey(l))) errors.Add(new($"body.{lang}", "required", "each title needs its body in the same language"));
        foreach (var lang in body.Keys.Where(l => !title.ContainsKey(l))) errors.Add(new($"title.{lang}", "required", "each body needs its title in the same language"));
        foreach (var (lang, text) in body.Where(t => t.Value.Length > MaxBody)) errors.Add(new($"body.{lang}", "too-long", $"at most {MaxBody:N0} characters"));
        return errors;
    }

    private static Dictionary<string, string> Clean(IReadOnlyDictionary<string, string>? texts) =>
        (texts ?? new Dictionary<string, string>()).Where(kv => !string.IsNullOrWhiteSpace(kv.Value))
            .ToDictionary(kv => kv.Key, kv => kv.Value.Trim().ReplaceLineEndings("\n"), StringComparer.Ordinal);

    [GeneratedRegex(@"^[\p{L}\p{N}][\p{L}\p{N} \-/.]*$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"[^\p{L}\p{N}]+")]
    private static partial Regex SlugPattern();

    [LoggerMessage(Level = LogLevel.Information, Message = "Decision {DecisionId} published as ledger entry {Seq} by {OpsUser}.")]
    private partial void LogPublished(string decisionId, long seq, string opsUser);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Station {StationId} contest {ContestId}: invalidated={Invalidated} by decision {DecisionId}, ledger entry {Seq}, by {OpsUser}.")]
    private partial void LogInvalidated(string stationId, string contestId, string decisionId, bool invalidated, long seq, string opsUser);
}
