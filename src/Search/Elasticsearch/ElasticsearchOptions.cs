using System.Text.RegularExpressions;

namespace Portal.Search.Elasticsearch;

/// <summary>
/// Section "Search:Elasticsearch". The credentials come from configuration or the environment
/// (<c>Search__Elasticsearch__ApiKey</c>); they are sent to Elasticsearch only, never logged or shown.
/// </summary>
public sealed partial class ElasticsearchOptions
{
    public const string DefaultIndex = "portal-search";

    /// <summary>One node URL or several separated by commas (http or https, no user:password in it).</summary>
    public string? Url { get; set; }

    /// <summary>An encoded API key (the "encoded" value Elasticsearch returns when the key is created).</summary>
    public string? ApiKey { get; set; }

    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>SHA-256 fingerprint of the cluster's CA certificate (hex, colons allowed), for a self-signed https cluster.</summary>
    public string? CertificateFingerprint { get; set; }

    /// <summary>
    /// The prefix of everything the portal creates: the index template <c>{Index}</c>, the indices <c>{Index}-*</c>
    /// and the alias <c>{Index}</c> searches go through. Several elections may share a cluster with different prefixes.
    /// </summary>
    public string Index { get; set; } = DefaultIndex;

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Documents per bulk request during a rebuild.</summary>
    public int BulkSize { get; set; } = 1_000;

    public IReadOnlyList<Uri> Nodes() =>
        [.. (Url ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => new Uri(u))];

    // Elasticsearch index names: lower case, no \ / * ? " < > | space , #, not starting with - _ +.
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,199}$")]
    private static partial Regex IndexName();

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:?[0-9A-Fa-f]{2}){31}$")]
    private static partial Regex Sha256Fingerprint();

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var urls = (Url ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (urls.Length == 0)
            errors.Add("Search:Elasticsearch:Url is required when Search:Backend is elasticsearch (one node URL, or several separated by commas).");
        foreach (var (url, i) in urls.Select((u, i) => (u, i)))
        {
            // The URL is not echoed: it may carry credentials.
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                errors.Add($"Search:Elasticsearch:Url node {i + 1} is not an http(s) URL.");
            else if (uri.UserInfo.Length > 0)
                errors.Add($"Search:Elasticsearch:Url node {i + 1} carries a user name or password; give them as Search:Elasticsearch:Username and Password (or ApiKey).");
        }
        var hasApiKey = !string.IsNullOrEmpty(ApiKey);
        var hasBasic = !string.IsNullOrEmpty(Username) || !string.IsNullOrEmpty(Password);
        if (hasApiKey && hasBasic) errors.Add("Search:Elasticsearch: give ApiKey or Username/Password, not both.");
        if (hasBasic && (string.IsNullOrEmpty(Username) || string.IsNullOrEmpty(Password)))
            errors.Add("Search:Elasticsearch:Username and Password go together.");
        if (!string.IsNullOrEmpty(CertificateFingerprint) && !Sha256Fingerprint().IsMatch(CertificateFingerprint))
            errors.Add("Search:Elasticsearch:CertificateFingerprint must be a SHA-256 fingerprint (64 hex digits, colons allowed).");
        if (!IndexName().IsMatch(Index ?? ""))
            errors.Add("Search:Elasticsearch:Index must be a lower-case index name (a-z, 0-9, '.', '_', '-'; not starting with '.', '_' or '-').");
        if (RequestTimeout <= TimeSpan.Zero) errors.Add("Search:Elasticsearch:RequestTimeout must be positive.");
        if (BulkSize is < 1 or > 10_000) errors.Add("Search:Elasticsearch:BulkSize must be between 1 and 10000.");
        return errors;
    }
}
