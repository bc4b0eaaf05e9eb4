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

    // One writer at a time per server process; other processes sharing the file still queue on BEGIN IMMEDIATE.
    private readonly SemaphoreSlim _writerGate = new(1, 1);

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
        await _writerGate.WaitAsync(cancellationToken);
        try
        {
            return new GatedSqliteTransaction(sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: false), _writerGate);
        }
        catch
        {
            _writerGate.Release();
            throw;
        }
    }

    // NOTE: SQLite's LOWER folds ASCII letters only, so ILIKE ignores case for ASCII text alone on this backend.
    public override string IlikeSql(string expression, string parameter) => $"LOWER({expression}) LIKE LOWER({parameter})";

    public override Task WriteMetricsAsync(DbConnection connection, DbTransaction transaction, string runId, IReadOnlyList<Metric> metrics, CancellationToken cancellationToken)
    {
        SqliteMetricWriter.Write((SqliteConnection)connection, runId, metrics, cancellationToken);
        return Task.CompletedTask;
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

        _writerGate.Dispose();
    }
}
