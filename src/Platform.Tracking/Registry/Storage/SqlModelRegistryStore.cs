using System.Data.Common;
using Platform.Tracking.Api;
using Platform.Tracking.Model;
using Platform.Tracking.Registry.Model;
using Platform.Tracking.Storage.Sql;

namespace Platform.Tracking.Registry.Storage;

/// <summary>
/// <see cref="IModelRegistryStore"/> over SQL shared by SQLite and PostgreSQL. It uses the tracking store's
/// <see cref="SqlDialect"/> for connections, write locks and case-insensitive matching, so both features live in
/// the same database file or tenant schema; only the migrations differ per backend (<see cref="RegistryMigrator"/>).
/// </summary>
internal sealed partial class SqlModelRegistryStore : IModelRegistryStore
{
    private const string VersionColumns =
        "mv.name, mv.version, mv.creation_time, mv.last_updated_time, mv.description, mv.user_id, mv.current_stage, " +
        "mv.source, mv.storage_location, mv.run_id, mv.run_link, mv.status, mv.status_message, mv.model_id";

    private const string NotDeleted = "mv.current_stage <> 'Deleted_Internal'";

    private readonly SqlDialect _dialect;
    private readonly RegistryMigrator _migrator;
    private readonly TimeProvider _time;

    public SqlModelRegistryStore(SqlDialect dialect, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        ArgumentNullException.ThrowIfNull(time);

        _dialect = dialect;
        _migrator = RegistryMigrator.Create(dialect);
        _time = time;
    }

    public Task MigrateAsync(CancellationToken cancellationToken) => _migrator.MigrateAsync(Now(), cancellationToken);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static TrackingException ModelNotFound(string name) =>
        TrackingException.NotFound($"Registered Model with name={name} not found.");

    private static TrackingException VersionNotFound(string name, long version) =>
        TrackingException.NotFound($"Model Version (name={name}, version={version}) not found.");

    /// <summary>Sets the model's last_updated_time, which also takes its row lock, or throws when the model does not exist.</summary>
    private static async Task TouchModelAsync(DbConnection connection, DbTransaction transaction, string name, long now, CancellationToken cancellationToken)
    {
        var updated = await ExecuteAsync(connection, transaction,
            "UPDATE registered_models SET last_updated_time = @now WHERE name = @name", cancellationToken, ("@now", now), ("@name", name));
        if (updated == 0)
        {
            throw ModelNotFound(name);
        }
    }

    private static async Task RequireModelAsync(DbConnection connection, DbTransaction? transaction, string name, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction, "SELECT 1 FROM registered_models WHERE name = @name");
        command.Add("@name", name);
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw ModelNotFound(name);
        }
    }

    /// <summary>Throws RESOURCE_DOES_NOT_EXIST unless the version exists and is not deleted.</summary>
    private static async Task RequireVersionAsync(DbConnection connection, DbTransaction? transaction, string name, long version, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand(transaction,
            $"SELECT 1 FROM model_versions mv WHERE mv.name = @name AND mv.version = @version AND {NotDeleted}");
        command.Add("@name", name);
        command.Add("@version", version);
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw VersionNotFound(name, version);
        }
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = connection.CreateCommand(transaction, sql);
        foreach (var (name, value) in parameters)
        {
            command.Add(name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Keeps the last value of each key, as MLflow does when a request repeats a tag.</summary>
    private static IEnumerable<KeyValue> LastWins(IReadOnlyList<KeyValue> tags) =>
        tags.GroupBy(tag => tag.Key, StringComparer.Ordinal).Select(group => group.Last());

    private static ModelVersion ReadVersion(DbDataReader reader) => new(
        Name: reader.GetString(0),
        Version: reader.GetInt64(1),
        CreationTimestamp: reader.GetInt64(2),
        LastUpdatedTimestamp: reader.GetInt64(3),
        UserId: reader.GetNullableString(5),
        CurrentStage: reader.GetString(6),
        Description: reader.GetNullableString(4),
        Source: reader.GetString(7),
        StorageLocation: reader.GetString(8),
        RunId: reader.GetNullableString(9),
        RunLink: reader.GetNullableString(10),
        Status: reader.GetString(11),
        StatusMessage: reader.GetNullableString(12),
        ModelId: reader.GetNullableString(13),
        Tags: [],
        Aliases: []);
}
