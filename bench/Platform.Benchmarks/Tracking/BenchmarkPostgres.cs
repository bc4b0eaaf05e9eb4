using Npgsql;

namespace Platform.Benchmarks.Tracking;

/// <summary>A fresh database on the test PostgreSQL server for one benchmark run, dropped afterwards.</summary>
internal sealed class BenchmarkPostgres : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private BenchmarkPostgres(string adminConnectionString, string database, string backendStoreUri)
    {
        _adminConnectionString = adminConnectionString;
        Database = database;
        BackendStoreUri = backendStoreUri;
    }

    public string Database { get; }

    /// <summary><c>postgresql://user:pass@host:port/db?schema=bench</c> for the tracking server's <c>--backend-store-uri</c>.</summary>
    public string BackendStoreUri { get; }

    public static async Task<BenchmarkPostgres> CreateAsync(string adminConnectionString, CancellationToken cancellationToken)
    {
        var database = $"bench_tracking_{Guid.NewGuid():N}";
        try
        {
            await using var connection = new NpgsqlConnection(adminConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            var redacted = new NpgsqlConnectionStringBuilder(adminConnectionString) { Password = null }.ConnectionString;
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable with '{redacted}': {ex.Message}. Start it with 'scripts/postgres.sh start', or skip it with --backends sqlite.", ex);
        }

        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString);
        var uri = $"postgresql://{Uri.EscapeDataString(builder.Username ?? "postgres")}:{Uri.EscapeDataString(builder.Password ?? string.Empty)}" +
                  $"@{builder.Host}:{builder.Port}/{database}?schema=bench";
        return new BenchmarkPostgres(adminConnectionString, database, uri);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Database}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
