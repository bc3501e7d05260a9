using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Portal.Ops;

/// <summary>A staff account. The hash is never shown anywhere.</summary>
public sealed record OpsUser(string Name, string PasswordHash, IReadOnlyList<string> Roles);

/// <summary>PBKDF2 password hashes with ASP.NET Core Identity's hasher (v3 format: HMAC-SHA512, 100,000 iterations, 128-bit salt).</summary>
public static class OpsPasswords
{
    private static readonly PasswordHasher<OpsUser> Hasher = new();
    private static readonly OpsUser Nobody = new("", "", []);

    // Verified against when the name is unknown, so an unknown name costs the same time as a wrong password.
    private static readonly Lazy<string> DummyHash = new(() => Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(18))));

    public static string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return Hasher.HashPassword(Nobody, password);
    }

    public static bool Verify(string? hash, string password)
    {
        try
        {
            return Hasher.VerifyHashedPassword(Nobody, hash ?? DummyHash.Value, password) != PasswordVerificationResult.Failed
                && hash is not null;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A random password for a generated account: 16 characters from an unambiguous alphabet (about 90 bits).</summary>
    public static string Generate()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
        return RandomNumberGenerator.GetString(alphabet, 16);
    }

    /// <summary>
    /// <c>Portal hash-password</c>: reads a password from standard input (not the command line, which lands in shell
    /// history and the process list) and prints its hash for "Ops:Users:N:PasswordHash".
    /// </summary>
    public static int RunHashPasswordCommand(string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        if (args.Length > 1)
        {
            error.WriteLine("usage: Portal hash-password   (the password is read from standard input)");
            return 2;
        }
        string? password;
        if (!Console.IsInputRedirected && ReferenceEquals(input, Console.In))
        {
            error.Write("Password: ");
            password = ReadHidden();
        }
        else password = input.ReadLine();
        if (string.IsNullOrEmpty(password) || password.Length < 12)
        {
            error.WriteLine("the password must have at least 12 characters");
            return 2;
        }
        output.WriteLine(Hash(password));
        return 0;
    }

    private static string ReadHidden()
    {
        var chars = new List<char>();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (chars.Count > 0) chars.RemoveAt(chars.Count - 1); continue; }
            chars.Add(key.KeyChar);
        }
        Console.Error.WriteLine();
        return new string([.. chars]);
    }
}

/// <summary>The staff accounts: from configuration, plus the generated demo accounts.</summary>
public sealed class OpsUserStore
{
    private readonly ConcurrentDictionary<string, OpsUser> _users = new(StringComparer.OrdinalIgnoreCase);

    public OpsUserStore(IEnumerable<OpsUser> users)
    {
        foreach (var user in users) Add(user);
    }

    public IReadOnlyCollection<OpsUser> Users => [.. _users.Values.OrderBy(u => u.Name, StringComparer.OrdinalIgnoreCase)];

    public void Add(OpsUser user)
    {
        var unknown = user.Roles.Except(OpsRoles.All).ToList();
        if (unknown.Count > 0) throw new InvalidOperationException($"Ops user \"{user.Name}\": unknown role(s) {string.Join(", ", unknown)}");
        if (!_users.TryAdd(user.Name, user)) throw new InvalidOperationException($"Ops user \"{user.Name}\" is defined twice");
    }

    public OpsUser? Find(string name) => _users.GetValueOrDefault(name);

    /// <summary>The user if the name exists and the password matches; constant work either way.</summary>
    public OpsUser? Authenticate(string name, string password)
    {
        var user = Find(name);
        return OpsPasswords.Verify(user?.PasswordHash, password) ? user : null;
    }

    public static ClaimsPrincipal Principal(OpsUser user)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, user.Name), new(OpsClaims.PasswordStamp, Stamp(user)) };
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>Changes when the user's hash or roles change, so sessions of a changed or removed account end.</summary>
    public static string Stamp(OpsUser user) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user.PasswordHash + "|" + string.Join(',', user.Roles))))[..16];
}

public static class OpsClaims
{
    public const string PasswordStamp = "portal:stamp";
}
