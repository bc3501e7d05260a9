using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Portal.Ops;

/// <summary>
/// Re-checks a live Blazor circuit's user every minute: a removed account, or one whose password or roles changed,
/// loses its ops wall without waiting for the cookie to expire.
/// </summary>
public sealed class OpsAuthenticationStateProvider(ILoggerFactory loggerFactory, OpsUserStore users)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        Task.FromResult(IsCurrent(users, authenticationState.User));

    public static bool IsCurrent(OpsUserStore users, ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true) return false;
        var user = principal.Identity.Name is { } name ? users.Find(name) : null;
        return user is not null && principal.FindFirst(OpsClaims.PasswordStamp)?.Value == OpsUserStore.Stamp(user);
    }
}
