using Portal.Search.Documents;

namespace Portal.Ingest.Decisions;

/// <summary>
/// The published decisions the search index is rebuilt from. The in-memory archive serves the demo; the ops issue
/// backs it with the ledger (a published decision is a ledger entry).
/// </summary>
public interface IDecisionArchive
{
    /// <summary>Stores a decision (replacing one with the same id).</summary>
    ValueTask AddAsync(DecisionDocument decision, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<DecisionDocument>> ListAsync(CancellationToken cancellationToken);

    ValueTask<DecisionDocument?> FindAsync(string id, CancellationToken cancellationToken);
}

public sealed class InMemoryDecisionArchive : IDecisionArchive
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DecisionDocument> _decisions = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public void AddRange(IEnumerable<DecisionDocument> decisions)
    {
        foreach (var decision in decisions) Add(decision);
    }

    public ValueTask AddAsync(DecisionDocument decision, CancellationToken cancellationToken)
    {
        Add(decision);
        return ValueTask.CompletedTask;
    }

    private void Add(DecisionDocument decision)
    {
        lock (_lock)
        {
            if (!_decisions.ContainsKey(decision.Id)) _order.Add(decision.Id);
            _decisions[decision.Id] = decision;
        }
    }

    public ValueTask<IReadOnlyList<DecisionDocument>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_lock) return ValueTask.FromResult<IReadOnlyList<DecisionDocument>>([.. _order.Select(id => _decisions[id])]);
    }

    public ValueTask<DecisionDocument?> FindAsync(string id, CancellationToken cancellationToken)
    {
        lock (_lock) return ValueTask.FromResult(_decisions.GetValueOrDefault(id));
    }
}
