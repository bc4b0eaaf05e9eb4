namespace Platform.Gateway.Admin;

/// <summary>
/// Size limits of admin API requests. They keep one request, one response and one log line small,
/// because a tenant with hundreds of thousands of collaborators made each update rewrite megabytes
/// under the tenant store's write lock and so blocked updates of other tenants.
/// </summary>
internal static class AdminLimits
{
    /// <summary>Maximum number of email addresses in one request, counting add and remove lists together.</summary>
    public const int MaxAddressesPerRequest = 100;

    /// <summary>Maximum number of collaborators of one tenant, at create and after an update.</summary>
    public const int MaxCollaboratorsPerTenant = 1000;

    /// <summary>Maximum size of an admin request body in bytes (1 MiB), far above what the other limits allow.</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Maximum number of characters of a client-supplied value quoted in an error message.</summary>
    public const int MaxEchoedLength = 100;

    /// <summary>Maximum number of addresses a log line or error message lists. Longer lists are given as a count.</summary>
    public const int MaxLoggedAddresses = 10;

    /// <summary>Shortens <paramref name="value"/> to <see cref="MaxEchoedLength"/> characters for an error message, marking the cut with the full length.</summary>
    public static string Echo(string? value) => value is { Length: > MaxEchoedLength }
        ? $"{value[..MaxEchoedLength]}... ({value.Length} characters)"
        : value ?? "";

    /// <summary>Formats addresses for a log line: the addresses themselves, or only their count when there are many.</summary>
    public static string ForLog(IReadOnlyCollection<string> addresses) => addresses.Count <= MaxLoggedAddresses
        ? "[" + string.Join(",", addresses) + "]"
        : $"{addresses.Count} addresses";
}
