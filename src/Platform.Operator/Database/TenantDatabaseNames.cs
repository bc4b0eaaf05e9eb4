using System.Security.Cryptography;
using System.Text;

namespace Platform.Operator.Database;

/// <summary>The schema and the LOGIN role of one tenant; both are named <c>tenant_&lt;name&gt;</c>.</summary>
public sealed record TenantDatabaseNames(string Schema, string Role)
{
    // PostgreSQL truncates identifiers at 63 bytes, so long names keep a prefix plus a hash to stay distinct.
    private const int MaxIdentifierLength = 63;

    /// <summary>Derives the names from a TrackingServer name (a DNS label: lowercase letters, digits and '-').</summary>
    /// <remarks>
    /// NOTE: the namespace is not part of the names, because the gateway addresses tenants by name alone
    /// (/u/&lt;name&gt;). Two TrackingServers with one name in different namespaces would share a schema.
    /// </remarks>
    public static TenantDatabaseNames ForTenant(string tenantName)
    {
        ArgumentException.ThrowIfNullOrEmpty(tenantName);

        var identifier = "tenant_" + tenantName.Replace('-', '_');
        if (identifier.Length > MaxIdentifierLength)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenantName)))[..8];
            identifier = $"{identifier[..(MaxIdentifierLength - 9)]}_{hash}";
        }

        return new TenantDatabaseNames(identifier, identifier);
    }
}
