using Portal.Grains.Model;
using Portal.Ingest.Decisions;
using Portal.Ingest.Ledger;
using Portal.Search.Documents;

namespace Portal.Ops;

/// <summary>
/// The decision archive behind search's publishing hook: a published decision is a ledger entry (written by the
/// <see cref="DecisionLedgerWriter"/>) (durable, hash-chained,
/// downloadable with the chain), and the index is rebuilt from the ledger. The generated demo decisions are added in
/// memory (they are regenerated identically at every start, so writing them to the ledger would only repeat them).
/// </summary>
public sealed class LedgerDecisionArchive(DecisionLedgerWriter writer, OpsLedgerView view, ElectionCatalog catalog, IReadOnlyList<DecisionDocument> demo)
    : IDecisionArchive
{
    public async ValueTask AddAsync(DecisionDocument decision, CancellationToken cancellationToken)
    {
        await writer.AppendAsync(decision.Id, decision.Number, decision.Date, decision.CommissionId, decision.Title, decision.Body, cancellationToken);
        await view.CatchUpAsync(cancellationToken);
    }

    public async ValueTask<IReadOnlyList<DecisionDocument>> ListAsync(CancellationToken cancellationToken)
    {
        await view.CatchUpAsync(cancellationToken);
        var published = view.Decisions.Select(d => OpsDecisionService.ToDocument(d, catalog)).ToList();
        var ids = published.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        return [.. demo.Where(d => !ids.Contains(d.Id)), .. published];
    }

    public async ValueTask<DecisionDocument?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await view.CatchUpAsync(cancellationToken);
        return view.FindDecision(id) is { } d ? OpsDecisionService.ToDocument(d, catalog) : demo.FirstOrDefault(x => x.Id == id);
    }
}
