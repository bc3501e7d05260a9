using System.ComponentModel.DataAnnotations;

namespace Portal.Ops;

/// <summary>Options section "Ops": the operations staff, lockout and session settings.</summary>
public sealed class OpsOptions
{
    public const string Section = "Ops";

    /// <summary>Staff accounts. Only password hashes live in configuration (<c>Portal hash-password</c> makes one).</summary>
    public List<OpsUserOptions> Users { get; set; } = [];

    /// <summary>
    /// Creates one user per role with a random password printed once to the console at start. Null: only with the
    /// generated demo election (no <c>--election</c>).
    /// </summary>
    public bool? DemoUsers { get; set; }

    public OpsLockoutOptions Lockout { get; set; } = new();

    /// <summary>How long a login lasts without activity (sliding).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How often the ops camera wall reconciles with the camera grains (observer delivery is best effort).</summary>
    public TimeSpan WallReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An offline camera raises an alert after this long.</summary>
    public TimeSpan OfflineAlertAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>This many restarts within <see cref="RestartLoopWindow"/> raise a restart-loop alert.</summary>
    public int RestartLoopThreshold { get; set; } = 3;

    public TimeSpan RestartLoopWindow { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class OpsUserOptions
{
    [Required] public string Name { get; set; } = "";

    /// <summary>An ASP.NET Core Identity v3 hash (PBKDF2-HMAC-SHA512, 100,000 iterations, salted).</summary>
    [Required] public string PasswordHash { get; set; } = "";

    /// <summary>operator, publisher, admin.</summary>
    public List<string> Roles { get; set; } = [];
}

/// <summary>Lockout ("Ops:Lockout"): per account name (known or not, so lockout tells nothing about which names exist) and per client address.</summary>
public sealed class OpsLockoutOptions
{
    /// <summary>Failed logins of one name within <see cref="Window"/> that lock it.</summary>
    public int MaxFailures { get; set; } = 5;

    /// <summary>Failed logins from one client address within <see cref="Window"/> that lock the address (password spraying).</summary>
    public int MaxFailuresPerAddress { get; set; } = 50;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a locked name or address stays locked.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}
