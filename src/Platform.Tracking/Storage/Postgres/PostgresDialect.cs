using System.Data.Common;
using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;
using Platform.Tracking.Model;
using Platform.Tracking.Storage.Sql;

namespace Platform.Tracking.Storage.Postgres;

/// <summary>
/// PostgreSQL backend: every tenant has its own schema, set as the connection's search_path, so the shared SQL
/// never names a schema. Metric batches are one statement that unnests arrays of points.
/// </summary>
internal sealed partial class PostgresDialect : SqlDialect
{
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

            // No DISCARD ALL when a connection returns to the pool, which saves that statement on every request.
            // The store sets no session state, and search_path comes from this string.
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

    // One statement and one round trip for any batch size: the points arrive as eight arrays, which unnest turns into
    // rows. The same rows feed the metrics insert (a data-modifying CTE) and a set-based latest_metrics upsert. The
    // text is constant, so Npgsql's auto-prepare keeps it prepared on each pooled connection.
    private const string WriteMetricsSql =
        """
        WITH points AS (
            SELECT * FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::double precision[], $6::integer[], $7::text[], $8::text[], $9::text[])
                AS p (key, step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest)),
        inserted AS (
            INSERT INTO metrics (run_uuid, key, step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest)
            SELECT $1, key, step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest FROM points
            ON CONFLICT DO NOTHING)
        INSERT INTO latest_metrics (run_uuid, key, step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest)
        SELECT DISTINCT ON (key) $1, key, step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest FROM points
        ORDER BY key, step DESC, timestamp DESC, value DESC
        ON CONFLICT (run_uuid, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value,
            is_nan = excluded.is_nan, model_id = excluded.model_id, dataset_name = excluded.dataset_name, dataset_digest = excluded.dataset_digest
        WHERE excluded.step > latest_metrics.step OR (excluded.step = latest_metrics.step AND
            (excluded.timestamp > latest_metrics.timestamp OR (excluded.timestamp = latest_metrics.timestamp AND excluded.value > latest_metrics.value)))
        """;

    // DISTINCT ON with ORDER BY key makes every batch lock latest_metrics rows in key order, which avoids deadlocks
    // between concurrent batches of one run. A NaN point is stored as value 0 with is_nan 1, so it compares as 0.
    public override async Task WriteMetricsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
    {
        var count = metrics.Count;
        var keys = new string[count];
        var steps = new long[count];
        var timestamps = new long[count];
        var values = new double[count];
        var nans = new int[count];
        var modelIds = new string?[count];
        var datasetNames = new string?[count];
        var datasetDigests = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var metric = metrics[i];
            var isNan = double.IsNaN(metric.Value);
            keys[i] = metric.Key;
            steps[i] = metric.Step;
            timestamps[i] = metric.Timestamp;
            values[i] = isNan ? 0d : metric.Value;
            nans[i] = isNan ? 1 : 0;
            modelIds[i] = metric.ModelId;
            datasetNames[i] = metric.DatasetName;
            datasetDigests[i] = metric.DatasetDigest;
        }

        await using var command = new NpgsqlCommand(WriteMetricsSql, (NpgsqlConnection)connection, (NpgsqlTransaction)transaction)
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = runId, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter<string[]> { TypedValue = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new NpgsqlParameter<long[]> { TypedValue = steps, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                new NpgsqlParameter<long[]> { TypedValue = timestamps, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
                new NpgsqlParameter<double[]> { TypedValue = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double },
                new NpgsqlParameter<int[]> { TypedValue = nans, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer },
                new NpgsqlParameter<string?[]> { TypedValue = modelIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new NpgsqlParameter<string?[]> { TypedValue = datasetNames, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
                new NpgsqlParameter<string?[]> { TypedValue = datasetDigests, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
            },
        };
        await command.ExecuteNonQueryAsync(cancellationToken);
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

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaNamePattern();
}
