using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Platform.Tracking.Model;
using Platform.Tracking.Storage.Sql;

namespace Platform.Tracking.Storage.Postgres;

/// <summary>
/// PostgreSQL backend: every tenant has its own schema, set as the connection's search_path, so the shared SQL
/// never names a schema. Metric batches go through binary COPY into a temporary staging table.
/// </summary>
internal sealed partial class PostgresDialect : SqlDialect
{
    // Smaller batches are cheaper as one multi-row INSERT than as CREATE + COPY + INSERT ... SELECT.
    private const int CopyThreshold = 32;

    // Fixed first half of the advisory lock key, so the lock never collides with another program's locks.
    private const int MigrationLockClass = 0x4C50_5452;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;

    public PostgresDialect(string connectionString, string schema)
    {
        if (!SchemaNamePattern().IsMatch(schema))
        {
            throw new ArgumentException(
                $"Invalid PostgreSQL schema name '{schema}': use 1 to 63 lower-case letters, digits or underscores, starting with a letter or underscore.",
                nameof(schema));
        }

        _schema = schema;
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            SearchPath = schema,
            MaxAutoPrepare = 128,
            AutoPrepareMinUsages = 2,

            // No DISCARD ALL when a connection returns to the pool, so the temporary staging table survives
            // between batches. The store sets no other session state, and search_path comes from this string.
            NoResetOnClose = true,
        };
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public override int MaxListParameters => 5000;

    protected override IReadOnlyList<string[]> Migrations => PostgresSchema.Migrations;

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override async ValueTask<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken);

    public override string IlikeSql(string expression, string parameter) => $"{expression} ILIKE {parameter}";

    // ON COMMIT DELETE ROWS empties the staging table at commit, which is why a transaction may call this only once.
    public override async Task InsertMetricsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
    {
        if (metrics.Count <= CopyThreshold)
        {
            await InsertMetricRowsAsync(connection, transaction, runId, metrics, cancellationToken);
            return;
        }

        var npgsql = (NpgsqlConnection)connection;
        await using (var create = connection.CreateCommand(transaction,
            "CREATE TEMP TABLE IF NOT EXISTS metric_staging (key TEXT, step BIGINT, timestamp BIGINT, value DOUBLE PRECISION, is_nan INTEGER, " +
            "model_id TEXT, dataset_name TEXT, dataset_digest TEXT) " +
            "ON COMMIT DELETE ROWS"))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var writer = await npgsql.BeginBinaryImportAsync(
            "COPY metric_staging (key, step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var metric in metrics)
            {
                var isNan = double.IsNaN(metric.Value);
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(metric.Key, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(metric.Step, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(metric.Timestamp, NpgsqlDbType.Bigint, cancellationToken);
                await writer.WriteAsync(isNan ? 0d : metric.Value, NpgsqlDbType.Double, cancellationToken);
                await writer.WriteAsync(isNan ? 1 : 0, NpgsqlDbType.Integer, cancellationToken);
                await WriteOptionalTextAsync(writer, metric.ModelId, cancellationToken);
                await WriteOptionalTextAsync(writer, metric.DatasetName, cancellationToken);
                await WriteOptionalTextAsync(writer, metric.DatasetDigest, cancellationToken);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        await using var insert = connection.CreateCommand(transaction,
            "INSERT INTO metrics (run_uuid, key, step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest) " +
            "SELECT @run, key, step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest FROM metric_staging ON CONFLICT DO NOTHING");
        insert.Add("@run", runId);
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    public override bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override async Task MigrateAsync(long now, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The transaction-scoped advisory lock makes a second replica wait until the first one has committed.
        await using (var lockCommand = connection.CreateCommand(transaction, "SELECT pg_advisory_xact_lock(@class, hashtext(@schema))"))
        {
            lockCommand.Add("@class", MigrationLockClass);
            lockCommand.Add("@schema", _schema);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        // CREATE SCHEMA checks the database CREATE privilege even with IF NOT EXISTS, and a tenant role whose schema
        // the operator made beforehand lacks it. So the schema is created only when it is missing.
        bool schemaExists;
        await using (var exists = connection.CreateCommand(transaction, "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema)"))
        {
            exists.Add("@schema", _schema);
            schemaExists = (bool)(await exists.ExecuteScalarAsync(cancellationToken))!;
        }

        if (!schemaExists)
        {
            // The schema name was checked against SchemaNamePattern, so quoting it is enough here.
            await using var createSchema = connection.CreateCommand(transaction, $"CREATE SCHEMA \"{_schema}\"");
            await createSchema.ExecuteNonQueryAsync(cancellationToken);
        }

        await ApplyMigrationsAsync(connection, transaction, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync() => await _dataSource.DisposeAsync();

    private static async Task InsertMetricRowsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, string.Empty);
        var run = command.Bind(runId);
        var sql = new System.Text.StringBuilder("INSERT INTO metrics (run_uuid, key, step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest) VALUES ");
        for (var i = 0; i < metrics.Count; i++)
        {
            var metric = metrics[i];
            var isNan = double.IsNaN(metric.Value);
            sql.Append(i == 0 ? "(" : ", (")
                .Append(run).Append(", ")
                .Append(command.Bind(metric.Key)).Append(", ")
                .Append(command.Bind(metric.Step)).Append(", ")
                .Append(command.Bind(metric.Timestamp)).Append(", ")
                .Append(command.Bind(isNan ? 0d : metric.Value)).Append(", ")
                .Append(command.Bind(isNan ? 1 : 0)).Append(", ")
                .Append(command.Bind(metric.ModelId)).Append(", ")
                .Append(command.Bind(metric.DatasetName)).Append(", ")
                .Append(command.Bind(metric.DatasetDigest)).Append(')');
        }

        sql.Append(" ON CONFLICT DO NOTHING");
        command.CommandText = sql.ToString();
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task WriteOptionalTextAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            await writer.WriteNullAsync(cancellationToken);
        }
        else
        {
            await writer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaNamePattern();
}
