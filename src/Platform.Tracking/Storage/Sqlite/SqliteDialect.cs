using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Platform.Tracking.Model;
using Platform.Tracking.Storage.Sql;

namespace Platform.Tracking.Storage.Sqlite;

/// <summary>SQLite backend: one database file in WAL mode, or a shared in-memory database for tests.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    // Per-connection settings: LIKE is case-sensitive as in MLflow, and foreign keys are enforced.
    private const string ConnectionPragmas =
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA case_sensitive_like = ON;";

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

    public override string IlikeSql(string expression, string parameter) => $"LOWER({expression}) LIKE LOWER({parameter})";

    public override async Task InsertMetricsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
    {
        // One prepared statement reused for every row is the fastest bulk path SQLite offers.
        await using var command = connection.CreateCommand(transaction,
            "INSERT INTO metrics (run_uuid, key, step, timestamp, value, is_nan) VALUES (@run, @key, @step, @timestamp, @value, @isNan) " +
            "ON CONFLICT DO NOTHING");
        command.Add("@run", runId);
        var key = command.Add("@key", string.Empty);
        var step = command.Add("@step", 0L);
        var timestamp = command.Add("@timestamp", 0L);
        var value = command.Add("@value", 0d);
        var isNan = command.Add("@isNan", 0);
        await command.PrepareAsync(cancellationToken);
        foreach (var metric in metrics)
        {
            key.Value = metric.Key;
            step.Value = metric.Step;
            timestamp.Value = metric.Timestamp;
            value.Value = double.IsNaN(metric.Value) ? 0d : metric.Value;
            isNan.Value = double.IsNaN(metric.Value) ? 1 : 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override bool IsUniqueViolation(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: 19 };

    public override async Task MigrateAsync(long now, CancellationToken cancellationToken)
    {
        if (_inMemory)
        {
            _keepAlive ??= (SqliteConnection)await OpenConnectionAsync(cancellationToken);
        }

        await using var connection = await OpenConnectionAsync(cancellationToken);
        if (!_inMemory)
        {
            // WAL lets readers run while one writer commits; the mode is stored in the file.
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
