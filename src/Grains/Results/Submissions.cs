namespace Portal.Grains.Results;

/// <summary>A field-level error of the contract's error body.</summary>
[GenerateSerializer, Immutable, Alias("portal.FieldError")]
public sealed record FieldError([property: Id(0)] string Field, [property: Id(1)] string Code, [property: Id(2)] string Message);

/// <summary>A cumulative turnout report as a station device sent it (api.md section 2 "Station device API").</summary>
[GenerateSerializer, Immutable, Alias("portal.TurnoutSubmission")]
public sealed record TurnoutSubmission(
    [property: Id(0)] string SubmissionId,
    [property: Id(1)] DateTimeOffset AsOf,
    [property: Id(2)] int VotersIssuedBallots,
    [property: Id(3)] int? VotersOnList);

/// <summary>A station protocol for one contest (Art. 58, 94) as the device sent it.</summary>
[GenerateSerializer, Immutable, Alias("portal.ProtocolSubmission")]
public sealed record ProtocolSubmission(
    [property: Id(0)] string SubmissionId,
    [property: Id(1)] string ContestId,
    [property: Id(2)] int VotersOnList,
    [property: Id(3)] int BallotsReceived,
    [property: Id(4)] int VotersIssuedBallots,
    [property: Id(5)] int BallotsInBoxes,
    [property: Id(6)] int InvalidBallots,
    [property: Id(7)] int SpoiledBallots,
    [property: Id(8)] int UnusedBallots,
    [property: Id(9)] IReadOnlyDictionary<string, int> CandidateVotes,
    [property: Id(10)] string? Supersedes,
    [property: Id(11)] string? Reason);

/// <summary>A commission decision invalidating (or reinstating) one station's result in one contest (Art. 96).</summary>
[GenerateSerializer, Immutable, Alias("portal.StationInvalidation")]
public sealed record StationInvalidation(
    [property: Id(0)] string ContestId,
    [property: Id(1)] string DecisionId,
    [property: Id(2)] string Reason,
    [property: Id(3)] bool Invalidated = true);

public enum SubmissionStatus
{
    /// <summary>201: appended to the ledger.</summary>
    Created,
    /// <summary>200: the same submissionId with the same content again.</summary>
    Replayed,
    /// <summary>409: submissionId reused with other content.</summary>
    SubmissionIdReused,
    /// <summary>409: protocols are accepted only after polls close.</summary>
    BeforePollsClose,
    /// <summary>409: a protocol exists and the new one does not name it in supersedes.</summary>
    SupersedesMissing,
    /// <summary>409: supersedes names something other than the latest version.</summary>
    SupersedesStale,
    /// <summary>404.</summary>
    NotFound,
    /// <summary>422.</summary>
    Invalid,
}

/// <summary>The body of 201/200: {"submissionId","version","ledgerSeq","entryHash"}.</summary>
[GenerateSerializer, Immutable, Alias("portal.SubmissionReceipt")]
public sealed record SubmissionReceipt(
    [property: Id(0)] string SubmissionId,
    [property: Id(1)] int Version,
    [property: Id(2)] long LedgerSeq,
    [property: Id(3)] string EntryHash);

[GenerateSerializer, Immutable, Alias("portal.SubmissionResult")]
public sealed record SubmissionResult(
    [property: Id(0)] SubmissionStatus Status,
    [property: Id(1)] SubmissionReceipt? Receipt,
    [property: Id(2)] IReadOnlyList<FieldError> Errors)
{
    public static SubmissionResult Error(SubmissionStatus status, string field, string code, string message) =>
        new(status, null, [new FieldError(field, code, message)]);
}
