using Npgsql;
using Platform.Testing;
using Platform.Tracking.Registry.Storage;
using Platform.Tracking.Storage.Postgres;
using Platform.Tracking.Storage.Sql;
using Platform.Tracking.Storage.Sqlite;

namespace Platform.Tracking.Tests.Registry;

public sealed class RegistryMigrationTests
{
    private static readonly string[] RegistryTables =
        ["registered_models", "registered_model_tags", "registered_model_aliases", "model_versions", "model_version_tags",
        "logged_models", "logged_model_params", "logged_model_tags", "run_model_outputs",
        "traces", "trace_tags", "trace_metadata", "trace_assessments", "trace_run_links"];

    [Fact]
    public async Task Postgres_TwoStoresMigrateTenantSchemaAtOnce()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("registry_migration_race");
        await using var firstDialect = new PostgresDialect(connectionString, "tenant_race");
        await using var secondDialect = new PostgresDialect(connectionString, "tenant_race");
        var tracking = new SqlTrackingStore(firstDialect, TimeProvider.System);
        await tracking.MigrateAsync(CancellationToken.None);
        var first = new SqlModelRegistryStore(firstDialect, TimeProvider.System);
        var second = new SqlModelRegistryStore(secondDialect, TimeProvider.System);

        await Task.WhenAll(first.MigrateAsync(CancellationToken.None), second.MigrateAsync(CancellationToken.None));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal(3L, await ScalarAsync(connection, "SELECT COUNT(*) FROM tenant_race.registry_schema_version"));
        Assert.Equal((long)PostgresSchema.Migrations.Count, await ScalarAsync(connection, "SELECT COUNT(*) FROM tenant_race.schema_migrations"));
        foreach (var table in RegistryTables)
        {
            Assert.Equal(1L, await ScalarAsync(connection,
                $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'tenant_race' AND table_name = '{table}'"));
            Assert.Equal(0L, await ScalarAsync(connection,
                $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = '{table}'"));
        }
    }

    [Fact]
    public async Task Postgres_EveryForeignKeyHasIndex()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("registry_fk_index");
        await using var dialect = new PostgresDialect(connectionString, "tenant_fk");
        await new SqlModelRegistryStore(dialect, TimeProvider.System).MigrateAsync(CancellationToken.None);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        // A foreign key counts as indexed when some index on its table starts with exactly the key's columns.
        var unindexed = await ScalarAsync(connection,
            """
            SELECT COUNT(*) FROM pg_constraint c
            WHERE c.contype = 'f' AND c.connamespace = 'tenant_fk'::regnamespace
              AND NOT EXISTS (
                SELECT 1 FROM pg_index i
                WHERE i.indrelid = c.conrelid
                  AND (i.indkey::int2[])[0:array_length(c.conkey, 1) - 1] = c.conkey)
            """);
        var foreignKeys = await ScalarAsync(connection,
            "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = 'tenant_fk'::regnamespace");

        Assert.Equal(11L, foreignKeys);
        Assert.Equal(0L, unindexed);
    }

    [Fact]
    public async Task Sqlite_TwoStoresMigrateSameFileAtOnce()
    {
        var folder = Path.Combine(Path.GetTempPath(), "registry-migrate-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(folder, "race.db");
        try
        {
            await using var firstDialect = new SqliteDialect(path);
            await using var secondDialect = new SqliteDialect(path);
            await new SqlTrackingStore(firstDialect, TimeProvider.System).MigrateAsync(CancellationToken.None);
            var first = new SqlModelRegistryStore(firstDialect, TimeProvider.System);
            var second = new SqlModelRegistryStore(secondDialect, TimeProvider.System);

            await Task.WhenAll(first.MigrateAsync(CancellationToken.None), second.MigrateAsync(CancellationToken.None));
            var model = await first.CreateRegisteredModelAsync("ranker", null, [], CancellationToken.None);

            Assert.Equal("ranker", (await second.GetRegisteredModelAsync("ranker", CancellationToken.None)).Name);
            Assert.Empty(model.LatestVersions);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Sqlite_MigrateTwice_RecordsEachVersionOnce()
    {
        await using SqlDialect dialect = new SqliteDialect(":memory:");
        await new SqlTrackingStore(dialect, TimeProvider.System).MigrateAsync(CancellationToken.None);
        var store = new SqlModelRegistryStore(dialect, TimeProvider.System);

        await store.MigrateAsync(CancellationToken.None);
        await store.MigrateAsync(CancellationToken.None);

        await using var connection = await dialect.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand(null, "SELECT COUNT(*) FROM registry_schema_version");
        Assert.Equal(3L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
