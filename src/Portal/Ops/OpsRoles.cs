namespace Portal.Ops;

/// <summary>The three staff roles of issue 7. Admin deliberately cannot publish and publisher cannot manage keys (separation of duties).</summary>
public static class OpsRoles
{
    public const string Operator = "operator";
    public const string Publisher = "publisher";
    public const string Admin = "admin";

    /// <summary>Sets known answers of ballot-box clips (docs/counting.md).</summary>
    public const string Counter = "counter";

    public static readonly IReadOnlyList<string> All = [Operator, Publisher, Admin, Counter];
}

/// <summary>Authorization policies of the ops endpoints and pages.</summary>
public static class OpsPolicies
{
    /// <summary>Read-only ops views (camera wall, intake status): every staff role.</summary>
    public const string View = "ops.view";

    /// <summary>Publishing decisions and invalidating station results.</summary>
    public const string Publish = "ops.publish";

    /// <summary>Station keys and users.</summary>
    public const string Admin = "ops.admin";

    /// <summary>Known answers of ballot-box clips: counters and publishers.</summary>
    public const string Count = "ops.count";

    public static IReadOnlyList<string> RolesOf(string policy) => policy switch
    {
        View => OpsRoles.All,
        Publish => [OpsRoles.Publisher],
        Admin => [OpsRoles.Admin],
        Count => [OpsRoles.Counter, OpsRoles.Publisher],
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "not an ops policy"),
    };
}
