using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Extensions;

namespace Portal.Components.Shared;

/// <summary>
/// Links to a place on the page itself. The pages have <c>&lt;base href="/"&gt;</c>, so a bare <c>#id</c> would resolve
/// to the home page; the page's own path and query make it a jump within the page, without JS.
/// </summary>
public static class SamePage
{
    public static string Fragment(NavigationManager navigation, string id)
    {
        var uri = new Uri(navigation.Uri);
        // Only the keys pages read, as the language links: the cache shares one rendering among URLs that differ in other keys.
        var query = QueryHelpers.ParseQuery(uri.Query)
            .Where(kv => PublicPageCachePolicy.PageQueryKeys.Contains(kv.Key))
            .ToDictionary(kv => kv.Key, kv => (string?)kv.Value.ToString());
        return QueryHelpers.AddQueryString(uri.AbsolutePath, query) + "#" + id;
    }
}
