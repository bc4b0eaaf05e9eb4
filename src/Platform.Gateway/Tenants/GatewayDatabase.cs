using Microsoft.Data.Sqlite;

namespace Platform.Gateway.Tenants;

/// <summary>
/// The gateway's SQLite database (<c>gateway.db</c> in the data folder): tenants and platform tokens,
/// so both survive restarts.
/// </summary>
public sealed class GatewayDatabase
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS tenants (
            name TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            collaborators TEXT NOT NULL,
            destination TEXT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS access_tokens (
            id TEXT PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            user_email TEXT NOT NULL,
            tenant TEXT NULL,
            description TEXT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NULL,
            last_used_at TEXT NULL,
            revoked_at TEXT NULL
        );
        """;

    private readonly string _connectionString;

    /// <summary>Creates the accessor for the database file at <paramref name="path"/>.</summary>
    public GatewayDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FilePath = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
    }

    /// <summary>Full path of the database file.</summary>
    public string FilePath { get; }

    /// <summary>Opens a connection; the caller disposes it.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>Creates the folder and the tables when they do not exist yet.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = Schema;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
