using Npgsql;

namespace Platform.Tracking.Hosting;

/// <summary>A parsed <c>--backend-store-uri</c>: a SQLite path or a PostgreSQL connection string and schema.</summary>
public sealed record BackendStoreUri(string? SqlitePath, string? PostgresConnectionString, string? PostgresSchema)
{
    /// <summary>Schema used when a PostgreSQL URI has no <c>?schema=</c>. The operator gives every tenant a schema of its own.</summary>
    public const string DefaultPostgresSchema = "mlflow";

    public bool IsSqlite => SqlitePath is not null;

    /// <summary>Parses <c>sqlite:///abs/path.db</c>, <c>sqlite:///:memory:</c> or <c>postgresql://user:pass@host:port/db?schema=name</c>.</summary>
    public static BackendStoreUri Parse(string uri)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uri);

        if (uri.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase))
        {
            var path = uri["sqlite:///".Length..];
            if (path.Length == 0)
            {
                throw new FormatException($"Invalid backend store URI '{uri}': the SQLite path is missing. Use sqlite:///abs/path.db.");
            }

            // sqlite:////abs/path and sqlite:///relative/path are both accepted, as SQLAlchemy does.
            return new BackendStoreUri(path, null, null);
        }

        if (uri.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || uri.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return ParsePostgres(uri);
        }

        throw new FormatException(
            $"Invalid backend store URI '{Redact(uri)}': use sqlite:///abs/path.db, sqlite:///:memory: or postgresql://user:pass@host:port/db?schema=name.");
    }

    private static BackendStoreUri ParsePostgres(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || string.IsNullOrEmpty(parsed.Host))
        {
            throw new FormatException($"Invalid backend store URI '{Redact(uri)}': expected postgresql://user:pass@host:port/db?schema=name.");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = parsed.Host,
            Port = parsed.IsDefaultPort || parsed.Port <= 0 ? 5432 : parsed.Port,
            Database = Uri.UnescapeDataString(parsed.AbsolutePath.TrimStart('/')),
        };
        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            var parts = parsed.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        if (string.IsNullOrEmpty(builder.Database))
        {
            throw new FormatException($"Invalid backend store URI '{Redact(uri)}': the database name is missing after the host.");
        }

        var schema = DefaultPostgresSchema;
        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = pair.IndexOf('=', StringComparison.Ordinal) is var index and >= 0
                ? (pair[..index], Uri.UnescapeDataString(pair[(index + 1)..]))
                : (pair, string.Empty);
            switch (name)
            {
                case "schema":
                    schema = value;
                    break;
                case "sslmode":
                    builder.SslMode = Enum.Parse<SslMode>(value, ignoreCase: true);
                    break;
                default:
                    throw new FormatException($"Invalid backend store URI '{Redact(uri)}': unknown query parameter '{name}'. Supported: schema, sslmode.");
            }
        }

        return new BackendStoreUri(null, builder.ConnectionString, schema);
    }

    /// <summary>Returns <paramref name="uri"/> with any password replaced, for messages and logs.</summary>
    public static string Redact(string uri)
    {
        var at = uri.IndexOf('@', StringComparison.Ordinal);
        var scheme = uri.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0)
        {
            return uri;
        }

        var colon = uri.IndexOf(':', scheme + 3);
        return colon > 0 && colon < at ? uri[..(colon + 1)] + "***" + uri[at..] : uri;
    }
}
