using Platform.Operator.Api;
using Platform.Operator.Database;
using Platform.Operator.Reconciliation;
using Platform.Operator.Tests.Support;
using Platform.Testing;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class DatabaseReconcilerTests
{
    [Fact]
    public async Task Reconcile_CreatesSchemaAndObservesReady()
    {
        var connectionString = await TestPostgres.CreateDatabaseAsync("operator_dbrec");
        await using var database = new PostgresTenantDatabase(TestOptions.Create(connectionString));
        var name = TestTenants.UniqueName();
        var context = new TenantContext(TestTenants.Build(name)) { DatabasePassword = SecretReconciler.GenerateSecret(32) };
        var reconciler = new DatabaseReconciler(database, TimeProvider.System, TestOptions.Create());

        try
        {
            await reconciler.ReconcileAsync(context, CancellationToken.None);

            Assert.True(await database.SchemaExistsAsync(context.DatabaseNames, CancellationToken.None));
            var observation = context.Observations[ConditionTypes.DatabaseReady];
            Assert.True(observation.Ready);
            Assert.Equal("SchemaReady", observation.Reason);
        }
        finally
        {
            await database.DropAsync(context.DatabaseNames, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Reconcile_RemembersEnsureForResyncPeriod()
    {
        var counting = new CountingTenantDatabase();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var options = TestOptions.Create();
        var reconciler = new DatabaseReconciler(counting, time, options);
        var resource = TestTenants.Build("alice");

        await reconciler.ReconcileAsync(new TenantContext(resource) { DatabasePassword = "one" }, CancellationToken.None);
        await reconciler.ReconcileAsync(new TenantContext(resource) { DatabasePassword = "one" }, CancellationToken.None);
        Assert.Equal(1, counting.EnsureCalls);

        await reconciler.ReconcileAsync(new TenantContext(resource) { DatabasePassword = "two" }, CancellationToken.None);
        Assert.Equal(2, counting.EnsureCalls);

        time.Advance(options.Value.ResyncPeriod);
        var context = new TenantContext(resource) { DatabasePassword = "two" };
        await reconciler.ReconcileAsync(context, CancellationToken.None);
        Assert.Equal(3, counting.EnsureCalls);
        Assert.True(context.Observations[ConditionTypes.DatabaseReady].Ready);

        await reconciler.ReconcileAsync(new TenantContext(TestTenants.Build("alice")) { DatabasePassword = "two" }, CancellationToken.None);
        Assert.Equal(4, counting.EnsureCalls);
    }

    [Fact]
    public async Task Reconcile_WithoutPassword_ExplainsOrder()
    {
        var reconciler = new DatabaseReconciler(new HangingTenantDatabase(), TimeProvider.System, TestOptions.Create());
        var context = new TenantContext(TestTenants.Build("alice"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => reconciler.ReconcileAsync(context, CancellationToken.None));

        Assert.Contains("default/alice has no database password", error.Message);
        Assert.Contains("Secret step must run before", error.Message);
    }

    private sealed class CountingTenantDatabase : ITenantDatabase
    {
        public int EnsureCalls { get; private set; }

        public Task EnsureAsync(TenantDatabaseNames names, string password, CancellationToken cancellationToken)
        {
            EnsureCalls++;
            return Task.CompletedTask;
        }

        public Task DropAsync(TenantDatabaseNames names, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<bool> SchemaExistsAsync(TenantDatabaseNames names, CancellationToken cancellationToken) => Task.FromResult(true);

        public string BuildBackendStoreUri(TenantDatabaseNames names, string password) => "postgresql://unused";
    }

    [Fact]
    public async Task Reconcile_UnreachableServer_Throws()
    {
        await using var database = new PostgresTenantDatabase(TestOptions.Create($"Host=127.0.0.1;Port={TcpPorts.GetFreePort()};Username=postgres;Password=x;Timeout=2"));
        var reconciler = new DatabaseReconciler(database, TimeProvider.System, TestOptions.Create());
        var context = new TenantContext(TestTenants.Build("alice")) { DatabasePassword = "p" };

        await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(() => reconciler.ReconcileAsync(context, CancellationToken.None));
        Assert.False(context.Observations.ContainsKey(ConditionTypes.DatabaseReady));
    }
}
