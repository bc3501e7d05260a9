using System.Globalization;

namespace Portal.Localization;

/// <summary>Numbers, percentages, dates and times for the current culture, times in the election's time zone.</summary>
public static class Format
{
    public static string Number(long value) => value.ToString("N0", CultureInfo.CurrentCulture);

    public static string Number(long? value) => value is { } v ? Number(v) : "—";

    /// <summary>A percentage given as 0-100, one decimal: "41,3 %" / "41.3%" as the culture writes it.</summary>
    public static string Percent(double value) => (value / 100).ToString("P1", CultureInfo.CurrentCulture);

    public static double Share(long part, long whole) => whole <= 0 ? 0 : 100.0 * part / whole;

    public static DateTimeOffset Local(DateTimeOffset at, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(at, zone);

    public static string Time(DateTimeOffset at, TimeZoneInfo zone) => Local(at, zone).ToString("HH:mm", CultureInfo.CurrentCulture);

    public static string TimeSeconds(DateTimeOffset at, TimeZoneInfo zone) => Local(at, zone).ToString("HH:mm:ss", CultureInfo.CurrentCulture);

    public static string Date(DateTimeOffset at, TimeZoneInfo zone) => Local(at, zone).ToString("d MMMM yyyy", CultureInfo.CurrentCulture);

    public static string DateTime(DateTimeOffset at, TimeZoneInfo zone) => Local(at, zone).ToString("d MMMM yyyy, HH:mm", CultureInfo.CurrentCulture);

    /// <summary>The machine-readable form for a time element's datetime attribute.</summary>
    public static string Iso(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Short hash for display; the full value goes into the title and the open data.</summary>
    public static string ShortHash(string? hash) => string.IsNullOrEmpty(hash) ? "" : hash.Length <= 12 ? hash : hash[..12] + "…";
}
