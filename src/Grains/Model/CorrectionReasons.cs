namespace Portal.Grains.Model;

/// <summary>
/// Standard reasons a station gives for a corrected protocol (the contract's free-text <c>reason</c>), as the station
/// commission writes them (Uzbek Latin). The portal shows a standard reason in the reader's language; any other
/// reason is shown as the station wrote it.
/// </summary>
public static class CorrectionReasons
{
    public const string Recount = "Okrug saylov komissiyasining qaroriga koʻra ovozlar qayta sanab chiqildi";

    /// <summary>The resource key of a standard reason (the ones earlier demo ledgers hold in English too), or null.</summary>
    public static string? KeyOf(string? reason) => reason?.Trim() switch
    {
        Recount or "Recount ordered by the district election commission" => "Reason.Recount",
        _ => null,
    };
}
