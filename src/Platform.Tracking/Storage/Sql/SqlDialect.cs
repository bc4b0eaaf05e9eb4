using System.Data.Common;
using Platform.Tracking.Model;

namespace Platform.Tracking.Storage.Sql;

/// <summary>
/// What differs between the SQLite and PostgreSQL backends: connections, locking, bulk metric writes,
/// case-insensitive matching and the DDL of each migration. Everything else is shared SQL in <see cref="SqlTrackingStore"/>.
/// </summary>
internal abstract class SqlDialect : IAsyncDisposable
{
    /// <summary>How many values one <c>IN (...)</c> list may bind before the store splits the query.</summary>
    public abstract int MaxListParameters { get; }

    /// <summary>DDL per schema version, where index 0 is version 1. Each entry runs in the migration transaction.</summary>
    protected abstract IReadOnlyList<string[]> Migrations { get; }

    public abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Starts a transaction that holds the write lock from its start, so concurrent writers queue instead of failing.</summary>
    public abstract ValueTask<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Returns SQL that matches <paramref name="expression"/> against a LIKE pattern without regard to case.</summary>
    public abstract string IlikeSql(string expression, string parameter);

    /// <summary>
    /// Inserts metric points, skipping exact duplicates so a retried batch leaves one row per point, and moves each
    /// key's <c>latest_metrics</c> row forward when a point is newer: larger step, then larger timestamp, then larger value.
    /// </summary>
    public abstract Task WriteMetricsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken);

    /// <summary>Returns whether <paramref name="exception"/> reports a unique or primary key violation.</summary>
    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>Applies all pending migrations under the backend's cross-process lock.</summary>
    public abstract Task MigrateAsync(long now, CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>Runs the migrations newer than the recorded version inside <paramref name="transaction"/>, which holds the lock.</summary>
    protected async Task ApplyMigrationsAsync(DbConnection connection, DbTransaction transaction, long now, CancellationToken cancellationToken)
    {
        await using (var create = connection.CreateCommand(transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_time BIGINT NOT NULL)"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        long current;
        await using (var select = connection.CreateCommand(transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"))
        {
            current = Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        for (var version = (int)current + 1; version <= Migrations.Count; version++)
        {
            foreach (var statement in Migrations[version - 1])
            {
                await using var command = connection.CreateCommand(transaction, statement);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            if (version == 1)
            {
                await InsertDefaultExperimentAsync(connection, transaction, now, cancellationToken);
            }

            await using var record = connection.CreateCommand(transaction,
                "INSERT INTO schema_migrations (version, applied_time) VALUES (@version, @now)");
            record.Add("@version", version);
            record.Add("@now", now);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // MLflow clients expect experiment "0" named "Default" to exist from the start.
    private static async Task InsertDefaultExperimentAsync(DbConnection connection, DbTransaction transaction, long now, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction,
            "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) " +
            "VALUES (0, 'Default', 'mlflow-artifacts:/0', 'active', @now, @now)");
        command.Add("@now", now);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
