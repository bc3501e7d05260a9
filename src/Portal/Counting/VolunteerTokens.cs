using System.Security.Cryptography;

namespace Portal.Counting;

/// <summary>
/// The anonymous volunteer token: 32 random bytes in a cookie, no account. Grains see only its SHA-256, so neither the
/// token nor anything about the person (address, browser) is stored with a count.
/// </summary>
public static class VolunteerTokens
{
    public const string CookieName = "portal-volunteer";

    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The token of the request, if it carries a well-formed one.</summary>
    public static string? Read(HttpRequest request) =>
        request.Cookies.TryGetValue(CookieName, out var token) && token.Length == 43 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? token : null;

    public static string VolunteerId(string token) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(token)))[..32];

    public static void Issue(HttpContext http, string token) =>
        http.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/api/v1/count",
            MaxAge = TimeSpan.FromDays(30), IsEssential = true,
        });

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
