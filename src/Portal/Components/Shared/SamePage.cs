using Microsoft.AspNetCore.Components;

namespace Portal.Components.Shared;

/// <summary>
/// Links to a place on the page itself. The pages have <c>&lt;base href="/"&gt;</c>, so a bare <c>#id</c> would resolve
/// to the home page; the page's own path and query make it a jump within the page, without JS.
/// </summary>
public static class SamePage
{
    public static string Fragment(NavigationManager navigation, string id) => new Uri(navigation.Uri).PathAndQuery + "#" + id;
}
