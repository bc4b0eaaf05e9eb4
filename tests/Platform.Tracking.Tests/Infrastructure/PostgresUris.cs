using Npgsql;

namespace Platform.Tracking.Tests.Infrastructure;

/// <summary>Turns test connection strings into the <c>postgresql://</c> URIs that <c>--backend-store-uri</c> takes.</summary>
public static class PostgresUris
{
    public static string FromConnectionString(string connectionString, string schema)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql://{Uri.EscapeDataString(builder.Username!)}:{Uri.EscapeDataString(builder.Password ?? string.Empty)}" +
            $"@{builder.Host}:{builder.Port}/{Uri.EscapeDataString(builder.Database!)}?schema={schema}";
    }
}
