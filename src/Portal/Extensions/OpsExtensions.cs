using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.Grains.Model;
using Portal.Hosting;
using Portal.Grains.Ledger;
using Portal.Ingest.Decisions;
using Portal.Ingest.Ledger;
using Portal.Ops;

namespace Portal.Extensions;

public static partial class OpsExtensions
{
    public const string CookieName = "portal-ops";
    public const string LoginPath = "/ops/login";
    public const string LogoutPath = "/ops/logout";

    /// <summary>Where the login form posts (the page itself is <see cref="LoginPath"/>; a page also answers POST, hence another path).</summary>
    public const string SignInPath = "/ops/signin";
    public const string DeniedPath = "/ops/denied";

    /// <summary>
    /// Operations: cookie login for the staff in "Ops:Users" (plus generated demo accounts), lockout, roles and policies,
    /// interactive server rendering (used only by ops pages), the camera wall, the ledger view behind the intake screen,
    /// decision publishing and station-key administration.
    /// </summary>
    public static IHostApplicationBuilder AddOps(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<OpsOptions>().BindConfiguration(OpsOptions.Section)
            .Validate(o => o.Lockout.MaxFailures >= 1 && o.Lockout.MaxFailuresPerAddress >= o.Lockout.MaxFailures,
                "Ops:Lockout:MaxFailures must be >= 1 and MaxFailuresPerAddress >= MaxFailures")
            .Validate(o => o.Lockout.Window > TimeSpan.Zero && o.Lockout.Duration > TimeSpan.Zero, "Ops:Lockout:Window and Duration must be positive")
            .Validate(o => o.Users.All(u => !string.IsNullOrWhiteSpace(u.Name) && !string.IsNullOrWhiteSpace(u.PasswordHash)),
                "every Ops:Users entry needs Name and PasswordHash")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(OpsOptions.Section).Get<OpsOptions>() ?? new OpsOptions();
        var users = options.Users.Select(u => new OpsUser(u.Name.Trim(), u.PasswordHash, [.. u.Roles.Select(r => r.Trim().ToLowerInvariant())])).ToList();
        if (options.DemoUsers ?? PortalOptions.From(builder.Configuration).IsDemo) users.AddRange(CreateDemoUsers());
        services.AddSingleton(new OpsUserStore(users));
        services.TryAddSingleton(TimeProvider.System);
        var plan = builder.GetHostingPlan();
        if (plan.Clustered)
            services.AddSingleton<ILoginLockout>(sp => new RedisLoginLockout(sp.GetRequiredService<StackExchange.Redis.IConnectionMultiplexer>(),
                sp.GetRequiredService<IOptions<OpsOptions>>(), plan.RedisPrefix + "ops-lockout:"));
        else
            services.AddSingleton<ILoginLockout, LoginLockout>();

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Strict: a cross-site request (a link in a phishing mail, a form on another site) never carries the session.
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.Path = "/";
            o.LoginPath = LoginPath;
            o.LogoutPath = LogoutPath;
            o.AccessDeniedPath = DeniedPath;
            o.ExpireTimeSpan = options.SessionIdleTimeout;
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = context => Challenge(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => Challenge(context, StatusCodes.Status403Forbidden);
            o.Events.OnValidatePrincipal = ValidatePrincipalAsync;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(OpsPolicies.View, p => p.RequireAuthenticatedUser().RequireRole(OpsPolicies.RolesOf(OpsPolicies.View)))
            .AddPolicy(OpsPolicies.Publish, p => p.RequireAuthenticatedUser().RequireRole(OpsPolicies.RolesOf(OpsPolicies.Publish)))
            .AddPolicy(OpsPolicies.Admin, p => p.RequireAuthenticatedUser().RequireRole(OpsPolicies.RolesOf(OpsPolicies.Admin)))
            .AddPolicy(OpsPolicies.Count, p => p.RequireAuthenticatedUser().RequireRole(OpsPolicies.RolesOf(OpsPolicies.Count)));
        services.AddAntiforgery(o =>
        {
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, OpsAuthenticationStateProvider>();
        services.AddRazorComponents().AddInteractiveServerComponents();

        services.AddSingleton<CameraBoard>();
        services.AddHostedService(sp => sp.GetRequiredService<CameraBoard>());
        services.AddSingleton<OpsLedgerView>();
        services.AddHostedService(sp => sp.GetRequiredService<OpsLedgerView>());
        services.AddSingleton<IntakeReport>();
        services.AddSingleton<StationKeyAdmin>();
        // Published decisions live in the ledger; replaces search's in-memory archive whichever is registered first.
        var demoDecisions = PortalOptions.From(builder.Configuration).IsDemo;
        services.RemoveAll<IDecisionArchive>();
        services.AddSingleton<IDecisionArchive>(sp =>
        {
            var catalog = sp.GetRequiredService<ElectionCatalog>();
            return new LedgerDecisionArchive(sp.GetRequiredService<DecisionLedgerWriter>(), sp.GetRequiredService<OpsLedgerView>(), catalog,
                demoDecisions ? DemoDecisionGenerator.Generate(catalog.Election, new DemoDecisionOptions()) : []);
        });
        services.AddSingleton<OpsDecisionService>();
        return builder;
    }

    /// <summary>Authentication and authorization. Call before UseAntiforgery (UsePortalWeb does).</summary>
    public static WebApplication UseOps(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/ops"))
            {
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    // Staff pages are never stored by a browser or a proxy.
                    headers.CacheControl = "private, no-store";
                    // Blazor's virtualised grid sizes its spacers with style attributes; scripts stay 'self' only.
                    if (headers.ContentSecurityPolicy.ToString() is { Length: > 0 } csp)
                        headers.ContentSecurityPolicy = csp.Replace("style-src 'self'", "style-src 'self' 'unsafe-inline'", StringComparison.Ordinal);
                    return Task.CompletedTask;
                });
            }
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// The interactive server render mode (only ops pages use it). The Blazor circuit endpoints require an ops login,
    /// and every page under /ops without its own authorization requires at least <see cref="OpsPolicies.View"/>.
    /// </summary>
    public static RazorComponentsEndpointConventionBuilder AddOpsRenderMode(this RazorComponentsEndpointConventionBuilder builder)
    {
        // The site's own CSP already says frame-ancestors 'none' (stricter); Blazor's extra CSP header would be a second policy.
        builder.AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);
        builder.Add(endpoint =>
        {
            if (endpoint is not RouteEndpointBuilder route) return;
            var pattern = "/" + route.RoutePattern.RawText?.TrimStart('/');
            var isCircuit = pattern.StartsWith("/_blazor", StringComparison.Ordinal);
            var isOpsPage = pattern.StartsWith("/ops", StringComparison.Ordinal) && pattern != LoginPath && pattern != DeniedPath;
            if ((isCircuit || isOpsPage) && !endpoint.Metadata.OfType<IAuthorizeData>().Any())
                endpoint.Metadata.Add(new AuthorizeAttribute(OpsPolicies.View));
        });
        return builder;
    }

    /// <summary>Login, logout and the intake CSV.</summary>
    public static IEndpointRouteBuilder MapOps(this IEndpointRouteBuilder app)
    {
        app.MapPost(SignInPath, LoginAsync).DisableAntiforgery().AllowAnonymous();
        app.MapPost(LogoutPath, async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest();
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect(LoginPath, preserveMethod: false);
        }).DisableAntiforgery().AllowAnonymous();
        app.MapGet("/ops/intake.csv", (HttpContext http, IntakeReport report, [AsParameters] IntakeCsvQuery q) =>
        {
            var rows = report.Rows(q.ToQuery());
            http.Response.Headers.ContentDisposition = "attachment; filename=\"intake.csv\"";
            return Results.Text(IntakeReport.ToCsv(rows), "text/csv; charset=utf-8");
        }).RequireAuthorization(OpsPolicies.View);
        return app;
    }

    public sealed record IntakeCsvQuery(string? Issue, string? Region, string? Contest, string? Hour, string? Q, string? Sort, bool? Desc)
    {
        public IntakeQuery ToQuery() => new(
            Enum.TryParse<IntakeIssue>(Issue, ignoreCase: true, out var issue) ? issue : null, Region, Contest, Hour, Q,
            IntakeReport.SortKeys.Contains(Sort) ? Sort! : "station", Desc ?? false);
    }

    // Antiforgery is validated explicitly (not by form binding) so a missing token is a plain 400 before anything else runs.
    private static async Task<IResult> LoginAsync(HttpContext http, IAntiforgery antiforgery, OpsUserStore users, ILoginLockout lockout, ILoggerFactory loggers)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.BadRequest(new { errors = new[] { new { field = "__RequestVerificationToken", code = "csrf", message = "the form's antiforgery token is missing or invalid; reload the page" } } });
        var logger = loggers.CreateLogger("Portal.Ops.Login");
        var form = await http.Request.ReadFormAsync();
        var name = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        var returnUrl = SafeReturnUrl(form["returnUrl"].ToString());
        var address = http.Connection.RemoteIpAddress?.ToString();
        if (name.Length is 0 or > 128 || password.Length is 0 or > 1024) return Failed("invalid");
        if (await lockout.IsLockedAsync(name, address))
        {
            LogLocked(logger, name, address);
            return Failed("locked");
        }
        var user = users.Authenticate(name, password);
        if (user is null)
        {
            var locked = await lockout.RecordFailureAsync(name, address);
            LogFailed(logger, name, address, locked);
            return Failed(locked ? "locked" : "invalid");
        }
        await lockout.RecordSuccessAsync(name);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, OpsUserStore.Principal(user),
            new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
        LogSignedIn(logger, user.Name, address);
        return Results.Redirect(returnUrl);

        IResult Failed(string error) => Results.Redirect($"{LoginPath}?error={error}" + (returnUrl == "/ops" ? "" : "&returnUrl=" + Uri.EscapeDataString(returnUrl)));
    }

    /// <summary>
    /// Only a path under /ops of this site (never another host, never a scheme-relative //host, no dot segments), returned
    /// percent-encoded: a decoded return URL with raw Unicode (<c>/ops/%E2%88%95</c> arrives as <c>/ops/∕</c>) is not a
    /// valid Location header. Anything else is <c>/ops</c>.
    /// </summary>
    public static string SafeReturnUrl(string? url)
    {
        const string fallback = "/ops";
        if (string.IsNullOrEmpty(url) || url.Length > 2048 || url.Any(c => char.IsControl(c) || c == '\\')) return fallback;
        var end = url.IndexOfAny(['?', '#']);
        var path = end < 0 ? url : url[..end];
        if (!path.StartsWith('/') || path.Contains("//", StringComparison.Ordinal) || path.Contains("/.", StringComparison.Ordinal)
            || !new PathString(path).StartsWithSegments("/ops", StringComparison.Ordinal)) return fallback;
        var query = end >= 0 && url[end] == '?'
            ? QueryString.Create(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url[end..].Split('#')[0]))
            : QueryString.Empty;
        return new PathString(path).ToUriComponent() + query.ToUriComponent();
    }

    private static Task Challenge(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var request = context.Request;
        // A person navigating to an ops page is sent to the login (or denied) page; everything else gets a status code.
        var isPage = (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && request.Path.StartsWithSegments("/ops") && !request.Path.Value!.EndsWith(".csv", StringComparison.Ordinal);
        if (isPage) context.Response.Redirect(context.RedirectUri);
        else
        {
            context.Response.StatusCode = status;
            // Not re-executed as the not-found page: a re-executed POST would fail antiforgery and turn 401/403 into 400.
            if (context.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
        }
        return Task.CompletedTask;
    }

    // A session ends when its account is removed or its password or roles change.
    private static Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<OpsUserStore>();
        if (!OpsAuthenticationStateProvider.IsCurrent(users, context.Principal)) context.RejectPrincipal();
        return Task.CompletedTask;
    }

    private static IEnumerable<OpsUser> CreateDemoUsers()
    {
        var created = OpsRoles.All.Select(role => (Name: $"demo-{role}", Password: OpsPasswords.Generate(), Role: role)).ToList();
        // Printed once, to the console only (not the structured log), and never stored: restart for new passwords.
        Console.WriteLine();
        Console.WriteLine("================ demo operations accounts (shown once) ================");
        foreach (var (name, password, role) in created) Console.WriteLine($"  {role,-10} user {name,-16} password {password}");
        Console.WriteLine("  log in at /ops/login");
        Console.WriteLine("========================================================================");
        Console.WriteLine();
        return created.Select(c => new OpsUser(c.Name, OpsPasswords.Hash(c.Password), [c.Role]));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ops login refused for {UserName} from {ClientAddress}: locked out.")]
    private static partial void LogLocked(ILogger logger, string userName, string? clientAddress);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ops login failed for {UserName} from {ClientAddress}; locked now: {Locked}.")]
    private static partial void LogFailed(ILogger logger, string userName, string? clientAddress, bool locked);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ops login of {UserName} from {ClientAddress}.")]
    private static partial void LogSignedIn(ILogger logger, string userName, string? clientAddress);
}
