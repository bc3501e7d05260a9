namespace Portal.Search.Documents;

/// <summary>The cultures documents are written and shown in (api.md section 3 "Public read API and video": uz, uz-Cyrl, ru, en).</summary>
public static class SearchCultures
{
    public static readonly IReadOnlyList<string> All = ["uz", "uz-Cyrl", "ru", "en"];

    /// <summary>Every culture, the likeliest first for a hit: the asked language, then those of the query's script.</summary>
    internal static string[] Order(SearchRequest request)
    {
        var queryIsCyrillic = request.Query?.Any(c => c is >= '\u0400' and <= '\u04FF') == true;
        string[] preference = queryIsCyrillic ? ["uz-Cyrl", "ru", "uz", "en"] : ["uz", "en", "uz-Cyrl", "ru"];
        return [.. (request.Language is { } language ? preference.Prepend(language) : preference).Concat(All).Distinct()];
    }
}
