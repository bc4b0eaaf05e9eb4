using System.Data.Common;
using System.Globalization;
using Platform.Tracking.Storage.Sql;
using Platform.Tracking.Storage.Sqlite;

namespace Platform.Tracking.Registry.Storage;

/// <summary>
/// Applies the registry's own schema versions, recorded in <c>registry_schema_version</c> apart from the tracking
/// store's <c>schema_migrations</c>, so both features evolve their tables independently in one database or schema.
/// </summary>
internal abstract class RegistryMigrator
{
    protected RegistryMigrator(SqlDialect dialect)
    {
        Dialect = dialect;
    }

    protected SqlDialect Dialect { get; }

    /// <summary>DDL per registry schema version; index 0 is version 1. Each entry runs in the migration transaction.</summary>
    protected abstract IReadOnlyList<string[]> Migrations { get; }

    /// <summary>Returns the migrator for the backend behind <paramref name="dialect"/>.</summary>
    public static RegistryMigrator Create(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);

        return dialect is SqliteDialect ? new SqliteRegistryMigrator(dialect) : new PostgresRegistryMigrator(dialect);
    }

    /// <summary>Applies all pending registry migrations under the backend's cross-process lock.</summary>
    public abstract Task MigrateAsync(long now, CancellationToken cancellationToken);

    /// <summary>Runs the migrations newer than the recorded version inside <paramref name="transaction"/>, which holds the lock.</summary>
    protected async Task ApplyMigrationsAsync(DbConnection connection, DbTransaction transaction, long now, CancellationToken cancellationToken)
    {
        await using (var create = connection.CreateCommand(transaction,
            "CREATE TABLE IF NOT EXISTS registry_schema_version (version INTEGER PRIMARY KEY, applied_time BIGINT NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        long current;
        await using (var select = connection.CreateCommand(transaction, "SELECT COALESCE(MAX(version), 0) FROM registry_schema_version"))
        {
            current = Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        for (var version = (int)current + 1; version <= Migrations.Count; version++)
        {
            foreach (var statement in Migrations[version - 1])
            {
                await using var command = connection.CreateCommand(transaction, statement);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var record = connection.CreateCommand(transaction,
                "INSERT INTO registry_schema_version (version, applied_time) VALUES (@version, @now)");
            record.Add("@version", version);
            record.Add("@now", now);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
