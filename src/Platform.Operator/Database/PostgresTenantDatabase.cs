using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Operator.Hosting;

namespace Platform.Operator.Database;

/// <summary>
/// <see cref="ITenantDatabase"/> over an admin connection. DDL cannot take parameters, so identifiers are
/// double-quoted with embedded quotes doubled, and the password, which the operator generates from letters
/// and digits only, is still passed through <see cref="QuoteLiteral"/>.
/// </summary>
public sealed class PostgresTenantDatabase : ITenantDatabase, IAsyncDisposable
{
    private const string DuplicateObject = "42710";

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlConnectionStringBuilder _admin;
    private readonly string _tenantEndpoint;

    public PostgresTenantDatabase(IOptions<OperatorOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);

        _admin = new NpgsqlConnectionStringBuilder(options.Value.AdminConnectionString);
        _dataSource = NpgsqlDataSource.Create(_admin.ConnectionString);
        _tenantEndpoint = string.IsNullOrWhiteSpace(options.Value.TenantDatabaseEndpoint)
            ? $"{_admin.Host}:{_admin.Port}"
            : options.Value.TenantDatabaseEndpoint;
    }

    public async Task EnsureAsync(TenantDatabaseNames names, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        var role = QuoteIdentifier(names.Role);
        var schema = QuoteIdentifier(names.Schema);
        var secret = QuoteLiteral(password);

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await ExecuteAsync(connection, $"CREATE ROLE {role} LOGIN PASSWORD {secret} NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT", cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == DuplicateObject)
        {
            // The role exists from an earlier reconcile; the ALTER below brings its settings back in line.
        }

        await ExecuteAsync(connection, $"ALTER ROLE {role} WITH LOGIN PASSWORD {secret} NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT", cancellationToken);

        // A non-superuser admin may only hand a schema to a role it is a member of.
        await ExecuteAsync(connection, $"GRANT {role} TO CURRENT_USER", cancellationToken);
        await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {schema} AUTHORIZATION {role}", cancellationToken);
        await ExecuteAsync(connection, $"ALTER SCHEMA {schema} OWNER TO {role}", cancellationToken);
        await ExecuteAsync(connection, $"REVOKE ALL ON SCHEMA {schema} FROM PUBLIC", cancellationToken);

        // NOTE: tenants cannot create tables in "public" only because PostgreSQL 15 and later grant PUBLIC no
        // CREATE there. On older servers an admin must run REVOKE CREATE ON SCHEMA public FROM PUBLIC once.
        await ExecuteAsync(connection, $"ALTER ROLE {role} SET search_path = {schema}", cancellationToken);
    }

    public async Task DropAsync(TenantDatabaseNames names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {QuoteIdentifier(names.Schema)} CASCADE", cancellationToken);
        if (await RoleExistsAsync(connection, names.Role, cancellationToken))
        {
            // DROP OWNED removes the role's grants and objects in this database, which DROP ROLE requires.
            await ExecuteAsync(connection, $"DROP OWNED BY {QuoteIdentifier(names.Role)} CASCADE", cancellationToken);
            await ExecuteAsync(connection, $"DROP ROLE IF EXISTS {QuoteIdentifier(names.Role)}", cancellationToken);
        }
    }

    public async Task<bool> SchemaExistsAsync(TenantDatabaseNames names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        await using var command = _dataSource.CreateCommand("SELECT 1 FROM pg_namespace WHERE nspname = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = names.Schema });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public string BuildBackendStoreUri(TenantDatabaseNames names, string password)
    {
        ArgumentNullException.ThrowIfNull(names);
        return $"postgresql://{Uri.EscapeDataString(names.Role)}:{Uri.EscapeDataString(password)}@{_tenantEndpoint}/{Uri.EscapeDataString(_admin.Database ?? "postgres")}?schema={Uri.EscapeDataString(names.Schema)}";
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>Quotes a PostgreSQL identifier: wraps it in double quotes and doubles any embedded double quote.</summary>
    public static string QuoteIdentifier(string identifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        if (identifier.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A PostgreSQL identifier cannot contain a NUL character.", nameof(identifier));
        }

        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>Quotes a string literal: wraps it in single quotes and doubles any embedded single quote.</summary>
    public static string QuoteLiteral(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A PostgreSQL string literal cannot contain a NUL character.", nameof(value));
        }

        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    private static async Task<bool> RoleExistsAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_roles WHERE rolname = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = role });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
