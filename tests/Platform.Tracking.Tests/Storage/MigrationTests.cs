using Npgsql;
using Platform.Testing;
using Platform.Tracking.Storage.Postgres;
using Platform.Tracking.Storage.Sql;
using Platform.Tracking.Storage.Sqlite;

namespace Platform.Tracking.Tests.Storage;

public sealed class MigrationTests
{
    [Fact]
    public async Task Postgres_TwoStoresMigrateSameSchemaAtOnce()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("tracking_migration_race");
        await using var first = new SqlTrackingStore(new PostgresDialect(connectionString, "tenant_race"), TimeProvider.System);
        await using var second = new SqlTrackingStore(new PostgresDialect(connectionString, "tenant_race"), TimeProvider.System);

        await Task.WhenAll(first.MigrateAsync(CancellationToken.None), second.MigrateAsync(CancellationToken.None));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal(3L, await ScalarAsync(connection, "SELECT COUNT(*) FROM tenant_race.schema_migrations"));
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT COUNT(*) FROM tenant_race.experiments WHERE experiment_id = 0"));
        Assert.Equal(0L, await ScalarAsync(connection,
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'runs'"));
        Assert.Equal(11L, await ScalarAsync(connection,
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'tenant_race' AND table_name <> 'schema_migrations'"));
    }

    [Fact]
    public async Task Postgres_SchemasIsolateTenants()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("tracking_tenants");
        await using var alice = new SqlTrackingStore(new PostgresDialect(connectionString, "tenant_alice"), TimeProvider.System);
        await using var bob = new SqlTrackingStore(new PostgresDialect(connectionString, "tenant_bob"), TimeProvider.System);
        await alice.MigrateAsync(CancellationToken.None);
        await bob.MigrateAsync(CancellationToken.None);

        await alice.CreateExperimentAsync("only-alice", null, [], CancellationToken.None);

        var error = await Assert.ThrowsAsync<Platform.Tracking.Api.TrackingException>(
            () => bob.GetExperimentByNameAsync("only-alice", CancellationToken.None));
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", error.ErrorCode);
    }

    [Fact]
    public async Task Postgres_TenantRoleWithoutCreatePrivilege_Works()
    {
        // The operator's layout: a login role that owns its schema and has no CREATE privilege on the database.
        var adminConnectionString = await TestPostgres.CreateDatabaseAsync("tracking_tenant_role");
        var role = "tenant_" + Guid.NewGuid().ToString("N")[..12];
        await using (var admin = new NpgsqlConnection(adminConnectionString))
        {
            await admin.OpenAsync();
            await using var setup = new NpgsqlCommand(
                $"CREATE ROLE {role} LOGIN PASSWORD 'tenant-password'; CREATE SCHEMA {role} AUTHORIZATION {role};", admin);
            await setup.ExecuteNonQueryAsync();
        }

        var tenantConnectionString = new NpgsqlConnectionStringBuilder(adminConnectionString) { Username = role, Password = "tenant-password" }.ConnectionString;
        await using var store = new SqlTrackingStore(new PostgresDialect(tenantConnectionString, role), TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);
        var run = await store.CreateRunAsync(new Platform.Tracking.Model.NewRun("0", "alice", "r", 1, []), CancellationToken.None);
        var metrics = Enumerable.Range(0, 100).Select(i => new Platform.Tracking.Model.Metric("loss", i, i, i)).ToList();
        await store.LogBatchAsync(run.Info.RunId, metrics, [], [], CancellationToken.None);
        var history = await store.GetMetricHistoryAsync(run.Info.RunId, "loss", 1000, null, CancellationToken.None);

        Assert.Equal(100, history.Items.Count);
    }

    [Fact]
    public async Task Postgres_EveryTrackingForeignKeyIsIndexed()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("tracking_fk_index");
        await using var store = new SqlTrackingStore(new PostgresDialect(connectionString, "tenant_fk"), TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);
        const string trackingTables =
            "('experiments', 'experiment_tags', 'runs', 'tags', 'params', 'metrics', 'latest_metrics', 'datasets', 'inputs', 'input_tags')";

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var foreignKeys = await ScalarAsync(connection,
            "SELECT COUNT(*) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid " +
            $"WHERE c.contype = 'f' AND c.connamespace = 'tenant_fk'::regnamespace AND t.relname IN {trackingTables}");
        var unindexed = await ScalarAsync(connection,
            "SELECT COUNT(*) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid " +
            $"WHERE c.contype = 'f' AND c.connamespace = 'tenant_fk'::regnamespace AND t.relname IN {trackingTables} " +
            "AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid " +
            "AND (string_to_array(i.indkey::text, ' ')::int2[])[1:array_length(c.conkey, 1)] = c.conkey)");

        // latest_metrics and metrics carry no foreign key: the per-row check cost too much on every metric batch.
        Assert.Equal(8L, foreignKeys);
        Assert.Equal(0L, unindexed);
    }

    [Fact]
    public void Postgres_InvalidSchemaName_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new PostgresDialect("Host=127.0.0.1", "bad\"; DROP SCHEMA public; --"));

        Assert.Contains("schema name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_TwoStoresMigrateSameFileAtOnce()
    {
        var folder = Path.Combine(Path.GetTempPath(), "tracking-migrate-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(folder, "race.db");
        try
        {
            await using var first = new SqlTrackingStore(new SqliteDialect(path), TimeProvider.System);
            await using var second = new SqlTrackingStore(new SqliteDialect(path), TimeProvider.System);

            await Task.WhenAll(first.MigrateAsync(CancellationToken.None), second.MigrateAsync(CancellationToken.None));
            var experiment = await first.GetExperimentAsync("0", CancellationToken.None);

            Assert.Equal("Default", experiment.Name);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Sqlite_InMemoryStoreWorks()
    {
        await using var store = new SqlTrackingStore(new SqliteDialect(":memory:"), TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);

        var id = await store.CreateExperimentAsync("memory", null, [], CancellationToken.None);

        Assert.Equal("memory", (await store.GetExperimentAsync(id, CancellationToken.None)).Name);
    }

    [Fact]
    public async Task Sqlite_StoreWithoutRegistry_ReadsRunData()
    {
        // Without the logged-model feature no run_model_outputs table exists, so the store must not query it.
        await using var store = new SqlTrackingStore(new SqliteDialect(":memory:"), TimeProvider.System);
        await store.MigrateAsync(CancellationToken.None);
        var run = await store.CreateRunAsync(new Platform.Tracking.Model.NewRun("0", "alice", "r", 1, []), CancellationToken.None);
        await store.LogInputsAsync(run.Info.RunId, [], [new Platform.Tracking.Model.ModelInput("m-1")], CancellationToken.None);

        var loaded = await store.GetRunAsync(run.Info.RunId, CancellationToken.None);

        Assert.Equal("m-1", Assert.Single(loaded.ModelInputs).ModelId);
        Assert.Empty(loaded.ModelOutputs);
    }

    [Fact]
    public async Task Sqlite_Version1Database_UpgradesKeepingMetrics()
    {
        var folder = Directory.CreateTempSubdirectory("tracking-upgrade-").FullName;
        var path = Path.Combine(folder, "mlflow.db");
        try
        {
            await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
            {
                await connection.OpenAsync();
                var statements = SqliteSchema.Migrations[0].Concat(
                [
                    "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_time BIGINT NOT NULL)",
                    "INSERT INTO schema_migrations (version, applied_time) VALUES (1, 0)",
                    "INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time) VALUES (0, 'Default', 'x', 'active', 0, 0)",
                    "INSERT INTO runs VALUES ('r1', 0, 'old', 'alice', 'RUNNING', 1, NULL, NULL, 'active', 'x')",
                    "INSERT INTO metrics VALUES ('r1', 'loss', 0, 5, 0.5, 0)",
                    "INSERT INTO latest_metrics VALUES ('r1', 'loss', 0, 5, 0.5, 0)",
                ]);
                foreach (var sql in statements)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = sql;
                    await command.ExecuteNonQueryAsync();
                }
            }

            await using (var store = new SqlTrackingStore(new SqliteDialect(path), TimeProvider.System))
            {
                await store.MigrateAsync(CancellationToken.None);
                var run = await store.GetRunAsync("r1", CancellationToken.None);
                var history = await store.GetMetricHistoryAsync("r1", "loss", 10, null, CancellationToken.None);

                var latest = Assert.Single(run.Metrics);
                Assert.Equal(0.5, latest.Value);
                Assert.Null(latest.ModelId);
                Assert.Null(Assert.Single(history.Items).DatasetName);
                Assert.Empty(run.ModelInputs);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
