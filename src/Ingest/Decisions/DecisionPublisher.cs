using Microsoft.Extensions.Logging;
using Portal.Search;
using Portal.Search.Documents;

namespace Portal.Ingest.Decisions;

/// <summary>The publishing hook the ops pages call: a decision is public the day it is adopted (Art. 16).</summary>
public interface IDecisionPublisher
{
    /// <summary>Stores the decision, then indexes it; when the task completes it is searchable.</summary>
    Task PublishAsync(DecisionDocument decision, CancellationToken cancellationToken = default);
}

public sealed partial class DecisionPublisher(IDecisionArchive archive, ISearchIndex index, ILogger<DecisionPublisher> logger) : IDecisionPublisher
{
    public async Task PublishAsync(DecisionDocument decision, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        // Stored first: if indexing fails or the index is rebuilt meanwhile, the rebuild reads it from the archive.
        await archive.AddAsync(decision, cancellationToken);
        await index.IndexDecisionAsync(decision, cancellationToken);
        LogPublished(decision.Id, decision.Number);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Decision {DecisionId} ({DecisionNumber}) published and indexed.")]
    private partial void LogPublished(string decisionId, string decisionNumber);
}
