using Npgsql;

namespace Platform.Testing;

/// <summary>
/// Access to the test PostgreSQL server that <c>scripts/postgres.sh start</c> runs on 127.0.0.1.
/// Each caller gets a fresh database of its own, so test classes never see each other's rows.
/// </summary>
public static class TestPostgres
{
    /// <summary>Environment variable with the admin connection string; <c>make test</c> sets it.</summary>
    public const string EnvironmentVariable = "PLATFORM_TEST_POSTGRES";

    private const string DefaultConnectionString =
        "Host=127.0.0.1;Port=55432;Username=postgres;Password=labplatform;Database=postgres";

    /// <summary>Admin connection string to the <c>postgres</c> database.</summary>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : DefaultConnectionString;

    /// <summary>
    /// Creates an empty database named after <paramref name="prefix"/> plus a random suffix and returns a
    /// connection string to it. Fails with a clear message when the server is not running.
    /// </summary>
    public static async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var name = $"{Sanitize(prefix)}_{Guid.NewGuid():N}"[..Math.Min(63, Sanitize(prefix).Length + 33)];
        try
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (NpgsqlException ex)
        {
            throw new InvalidOperationException(
                $"Test PostgreSQL is not reachable with '{RedactPassword(AdminConnectionString)}': {ex.Message}. " +
                "Start it with 'scripts/postgres.sh start' (make test does this).", ex);
        }

        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name };
        return builder.ConnectionString;
    }

    private static string Sanitize(string prefix)
    {
        var chars = prefix.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        var text = new string(chars);
        return text.Length > 29 ? text[..29] : text;
    }

    private static string RedactPassword(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Password = null };
        return builder.ConnectionString;
    }
}
