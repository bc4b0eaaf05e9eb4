using System.Text.RegularExpressions;

namespace Platform.Operator.Storage;

/// <summary>Builds and checks tenant prefixes, so a delete can never reach outside <c>tenants/&lt;name&gt;/</c>.</summary>
public static partial class TenantPrefix
{
    public static string For(string tenantName) => $"tenants/{tenantName}/";

    /// <summary>Throws unless <paramref name="prefix"/> is exactly <c>tenants/&lt;DNS label&gt;/</c>.</summary>
    public static void Validate(string prefix)
    {
        if (!Pattern().IsMatch(prefix))
        {
            throw new ArgumentException($"Tenant prefix '{prefix}' is invalid; expected 'tenants/<name>/' with a lowercase DNS label as the name.", nameof(prefix));
        }
    }

    [GeneratedRegex("^tenants/[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/$")]
    private static partial Regex Pattern();
}
