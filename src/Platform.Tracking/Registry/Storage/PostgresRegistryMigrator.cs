using System.Text.RegularExpressions;
using Npgsql;
using Platform.Tracking.Storage.Sql;

namespace Platform.Tracking.Registry.Storage;

/// <summary>
/// Registry migrations on PostgreSQL, in the tenant schema that the tracking store's connections put first on
/// search_path, under a transaction-scoped advisory lock so a second replica waits for the first.
/// </summary>
internal sealed partial class PostgresRegistryMigrator : RegistryMigrator
{
    // Fixed first half of the advisory lock key. It differs from the tracking store's key, so the two migrations take separate locks.
    private const int MigrationLockClass = 0x4C50_5247;

    public PostgresRegistryMigrator(SqlDialect dialect)
        : base(dialect)
    {
    }

    protected override IReadOnlyList<string[]> Migrations => PostgresRegistrySchema.Migrations;

    public override async Task MigrateAsync(long now, CancellationToken cancellationToken)
    {
        await using var connection = await Dialect.OpenConnectionAsync(cancellationToken);
        var schema = GetSchema(connection.ConnectionString);
        await using var transaction = await Dialect.BeginWriteTransactionAsync(connection, cancellationToken);

        await using (var lockCommand = connection.CreateCommand(transaction, "SELECT pg_advisory_xact_lock(@class, hashtext(@schema))"))
        {
            lockCommand.Add("@class", MigrationLockClass);
            lockCommand.Add("@schema", schema);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        // The name matched SchemaNamePattern, so quoting it is enough.
        await using (var createSchema = connection.CreateCommand(transaction, $"CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
        {
            await createSchema.ExecuteNonQueryAsync(cancellationToken);
        }

        await ApplyMigrationsAsync(connection, transaction, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Returns the tenant schema: the first entry of the connection's search_path.</summary>
    private static string GetSchema(string connectionString)
    {
        var searchPath = new NpgsqlConnectionStringBuilder(connectionString).SearchPath;
        var schema = searchPath?.Split(',')[0].Trim();
        if (string.IsNullOrEmpty(schema) || !SchemaNamePattern().IsMatch(schema))
        {
            throw new InvalidOperationException(
                $"The registry cannot find the tenant schema: the PostgreSQL connection's search_path is '{searchPath}', expected one schema name of lower-case letters, digits or underscores.");
        }

        return schema;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaNamePattern();
}
