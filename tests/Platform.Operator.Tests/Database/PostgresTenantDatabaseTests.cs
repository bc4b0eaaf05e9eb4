using Microsoft.Extensions.Options;
using Npgsql;
using Platform.Operator.Database;
using Platform.Operator.Hosting;
using Platform.Operator.Reconciliation;
using Platform.Testing;

namespace Platform.Operator.Tests.Database;

/// <summary>Schema and role management on the real test PostgreSQL, including isolation between tenants.</summary>
public sealed class PostgresTenantDatabaseTests : IAsyncLifetime
{
    private readonly List<TenantDatabaseNames> _created = [];
    private string _connectionString = "";
    private PostgresTenantDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _connectionString = await TestPostgres.CreateDatabaseAsync("operator_db");
        _database = new PostgresTenantDatabase(Options.Create(new OperatorOptions { AdminConnectionString = _connectionString }));
    }

    public async Task DisposeAsync()
    {
        foreach (var names in _created)
        {
            await _database.DropAsync(names, CancellationToken.None);
        }

        await _database.DisposeAsync();
    }

    [Fact]
    public async Task TenantRole_CannotReachOtherSchema()
    {
        var (alice, alicePassword) = await CreateTenantAsync();
        var (bob, bobPassword) = await CreateTenantAsync();
        await using (var aliceConnection = await OpenAsTenantAsync(alice, alicePassword))
        {
            await ExecuteAsync(aliceConnection, "CREATE TABLE runs (id int PRIMARY KEY, name text)");
            await ExecuteAsync(aliceConnection, "INSERT INTO runs VALUES (1, 'secret run')");
        }

        await using var bobConnection = await OpenAsTenantAsync(bob, bobPassword);
        var qualified = $"{PostgresTenantDatabase.QuoteIdentifier(alice.Schema)}.runs";

        var read = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(bobConnection, $"SELECT * FROM {qualified}"));
        var write = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(bobConnection, $"INSERT INTO {qualified} VALUES (2, 'x')"));
        var create = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(bobConnection, $"CREATE TABLE {PostgresTenantDatabase.QuoteIdentifier(alice.Schema)}.planted (id int)"));
        var drop = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(bobConnection, $"DROP TABLE {qualified}"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, read.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, write.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, create.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, drop.SqlState);
    }

    [Fact]
    public async Task TenantRole_WritesOnlyToOwnSchema()
    {
        var (alice, password) = await CreateTenantAsync();
        await using var connection = await OpenAsTenantAsync(alice, password);

        await ExecuteAsync(connection, "CREATE TABLE experiments (id int)");
        var schema = await ScalarAsync(connection, "SELECT table_schema FROM information_schema.tables WHERE table_name = 'experiments'");
        var publicCreate = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, "CREATE TABLE public.leak (id int)"));
        var createRole = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, "CREATE ROLE intruder"));

        Assert.Equal(alice.Schema, schema);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, publicCreate.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, createRole.SqlState);
    }

    [Fact]
    public async Task Ensure_IsIdempotentAndRotatesPassword()
    {
        var (alice, firstPassword) = await CreateTenantAsync();
        var secondPassword = SecretReconciler.GenerateSecret(32);

        await _database.EnsureAsync(alice, secondPassword, CancellationToken.None);
        await _database.EnsureAsync(alice, secondPassword, CancellationToken.None);

        await using var connection = await OpenAsTenantAsync(alice, secondPassword);
        Assert.Equal(alice.Role, await ScalarAsync(connection, "SELECT current_user"));
        await Assert.ThrowsAsync<PostgresException>(() => OpenAsTenantAsync(alice, firstPassword));
    }

    [Fact]
    public async Task Drop_RemovesSchemaAndRoleTwice()
    {
        var (alice, password) = await CreateTenantAsync();
        await using (var connection = await OpenAsTenantAsync(alice, password))
        {
            await ExecuteAsync(connection, "CREATE TABLE runs (id int)");
        }

        await _database.DropAsync(alice, CancellationToken.None);
        await _database.DropAsync(alice, CancellationToken.None);

        Assert.False(await _database.SchemaExistsAsync(alice, CancellationToken.None));
        await using var admin = new NpgsqlConnection(_connectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_roles WHERE rolname = $1", admin) { Parameters = { new() { Value = alice.Role } } };
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Ensure_QuotesHostileIdentifier()
    {
        var hostile = new TenantDatabaseNames("tenant_x\"; DROP SCHEMA public; --", "tenant_x\"; DROP ROLE postgres; --");
        _created.Add(hostile);

        await _database.EnsureAsync(hostile, "pa'ss", CancellationToken.None);

        Assert.True(await _database.SchemaExistsAsync(hostile, CancellationToken.None));
        Assert.True(await _database.SchemaExistsAsync(new TenantDatabaseNames("public", "postgres"), CancellationToken.None));
    }

    [Fact]
    public void Names_LongTenantStaysWithinLimit()
    {
        var longName = new string('a', 60) + "-b";
        var other = new string('a', 60) + "-c";

        var names = TenantDatabaseNames.ForTenant(longName);

        Assert.Equal(63, names.Schema.Length);
        Assert.StartsWith("tenant_aaaa", names.Schema);
        Assert.NotEqual(names.Schema, TenantDatabaseNames.ForTenant(other).Schema);
        Assert.Equal("tenant_alice_smith", TenantDatabaseNames.ForTenant("alice-smith").Schema);
    }

    [Fact]
    public void QuoteLiteral_RejectsNul()
    {
        var error = Assert.Throws<ArgumentException>(() => PostgresTenantDatabase.QuoteLiteral("a\0b"));

        Assert.Contains("NUL", error.Message);
        Assert.Equal("'it''s'", PostgresTenantDatabase.QuoteLiteral("it's"));
        Assert.Equal("\"a\"\"b\"", PostgresTenantDatabase.QuoteIdentifier("a\"b"));
    }

    [Fact]
    public void BackendStoreUri_NamesSchemaAndEndpoint()
    {
        var database = new PostgresTenantDatabase(Options.Create(new OperatorOptions
        {
            AdminConnectionString = "Host=10.0.0.5;Port=5432;Username=admin;Password=x;Database=lab",
            TenantDatabaseEndpoint = "postgres.lab.svc:5432",
        }));

        var uri = database.BuildBackendStoreUri(TenantDatabaseNames.ForTenant("alice"), "p4ss");

        Assert.Equal("postgresql://tenant_alice:p4ss@postgres.lab.svc:5432/lab?schema=tenant_alice", uri);
    }

    private async Task<(TenantDatabaseNames Names, string Password)> CreateTenantAsync()
    {
        var names = TenantDatabaseNames.ForTenant(Support.TestTenants.UniqueName());
        var password = SecretReconciler.GenerateSecret(32);
        _created.Add(names);
        await _database.EnsureAsync(names, password, CancellationToken.None);
        return (names, password);
    }

    private async Task<NpgsqlConnection> OpenAsTenantAsync(TenantDatabaseNames names, string password)
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString) { Username = names.Role, Password = password, Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
