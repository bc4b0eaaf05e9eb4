using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Platform.Tracking.Model;
using Platform.Tracking.Storage.Sql;
using SQLitePCL;

namespace Platform.Tracking.Storage.Sqlite;

/// <summary>SQLite backend: one database file in WAL mode, or a shared in-memory database for tests.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    // Per-connection settings: LIKE is case-sensitive as in MLflow, and foreign keys are enforced.
    private const string ConnectionPragmas =
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA case_sensitive_like = ON;";

    private const string MetricInsertSql =
        "INSERT INTO metrics (run_uuid, key, step, timestamp, value, is_nan, model_id, dataset_name, dataset_digest) " +
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING";

    private readonly string _connectionString;
    private readonly bool _inMemory;

    // An in-memory database lives only while a connection to it is open, so one stays open for the store's life.
    private SqliteConnection? _keepAlive;

    public SqliteDialect(string path)
    {
        _inMemory = path == ":memory:";
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = _inMemory ? "labplatform-" + Guid.NewGuid().ToString("N") : path,
            Mode = _inMemory ? SqliteOpenMode.Memory : SqliteOpenMode.ReadWriteCreate,
            Cache = _inMemory ? SqliteCacheMode.Shared : SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        };
        _connectionString = builder.ConnectionString;
        if (!_inMemory)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }
    }

    public override int MaxListParameters => 500;

    protected override IReadOnlyList<string[]> Migrations => SqliteSchema.Migrations;

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragmas = connection.CreateCommand(null, ConnectionPragmas);
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public override async ValueTask<DbTransaction> BeginWriteTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // deferred: false issues BEGIN IMMEDIATE, so the write lock is taken at the start and never upgraded later.
        var sqlite = (SqliteConnection)connection;
        return await Task.FromResult(sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: false));
    }

    // NOTE: SQLite's LOWER folds ASCII letters only, so ILIKE ignores case for ASCII text alone on this backend.
    public override string IlikeSql(string expression, string parameter) => $"LOWER({expression}) LIKE LOWER({parameter})";

    public override async Task WriteMetricsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
    {
        InsertMetrics(connection, runId, metrics, cancellationToken);
        await LatestMetricsUpsert.ExecuteAsync(connection, transaction, runId, metrics, cancellationToken);
    }

    private static void InsertMetrics(DbConnection connection, string runId, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
    {
        // One statement prepared through SQLite's C API and re-bound by index per row: binding by name through
        // ADO.NET cost several times more CPU than the insert itself. It runs inside the caller's transaction,
        // which already holds the write lock, so SQLITE_BUSY cannot occur here.
        var database = ((SqliteConnection)connection).Handle!;
        var rc = raw.sqlite3_prepare_v2(database, MetricInsertSql, out var statement);
        SqliteException.ThrowExceptionForRC(rc, database);
        using (statement)
        {
            raw.sqlite3_bind_text(statement, 1, runId);
            foreach (var metric in metrics)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var isNan = double.IsNaN(metric.Value);
                raw.sqlite3_bind_text(statement, 2, metric.Key);
                raw.sqlite3_bind_int64(statement, 3, metric.Step);
                raw.sqlite3_bind_int64(statement, 4, metric.Timestamp);
                raw.sqlite3_bind_double(statement, 5, isNan ? 0d : metric.Value);
                raw.sqlite3_bind_int(statement, 6, isNan ? 1 : 0);
                BindOptionalText(statement, 7, metric.ModelId);
                BindOptionalText(statement, 8, metric.DatasetName);
                BindOptionalText(statement, 9, metric.DatasetDigest);
                rc = raw.sqlite3_step(statement);
                if (rc != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(rc, database);
                }

                raw.sqlite3_reset(statement);
            }
        }
    }

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19 };

    private static void BindOptionalText(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(statement, index);
        }
        else
        {
            raw.sqlite3_bind_text(statement, index, value);
        }
    }

    public override async Task MigrateAsync(long now, CancellationToken cancellationToken)
    {
        if (_inMemory)
        {
            _keepAlive ??= (SqliteConnection)await OpenConnectionAsync(cancellationToken);
        }

        await using var connection = await OpenConnectionAsync(cancellationToken);
        if (!_inMemory)
        {
            // WAL lets readers run while one writer commits. The mode is stored in the file.
            await using var wal = connection.CreateCommand(null, "PRAGMA journal_mode = WAL");
            await wal.ExecuteNonQueryAsync(cancellationToken);
        }

        // BEGIN IMMEDIATE serialises two processes that migrate the same file at once.
        await using var transaction = await BeginWriteTransactionAsync(connection, cancellationToken);
        await ApplyMigrationsAsync(connection, transaction, now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_keepAlive is not null)
        {
            await _keepAlive.DisposeAsync();
        }
    }
}
