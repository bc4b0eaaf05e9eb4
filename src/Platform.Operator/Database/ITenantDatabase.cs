namespace Platform.Operator.Database;

/// <summary>Creates and drops a tenant's PostgreSQL schema and role.</summary>
public interface ITenantDatabase
{
    /// <summary>
    /// Makes sure the role exists with <paramref name="password"/> and can log in, and that the schema exists,
    /// is owned by the role and is the role's search path. Safe to call any number of times.
    /// </summary>
    Task EnsureAsync(TenantDatabaseNames names, string password, CancellationToken cancellationToken);

    /// <summary>Drops the schema with everything in it, then the role. Safe when either is already gone.</summary>
    Task DropAsync(TenantDatabaseNames names, CancellationToken cancellationToken);

    /// <summary>Returns whether the schema exists.</summary>
    Task<bool> SchemaExistsAsync(TenantDatabaseNames names, CancellationToken cancellationToken);

    /// <summary>Builds the <c>postgresql://</c> URI that the tenant's tracking server uses as its backend store.</summary>
    string BuildBackendStoreUri(TenantDatabaseNames names, string password);
}
