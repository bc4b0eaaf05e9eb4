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
        var reconciler = new DatabaseReconciler(database);

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
    public async Task Reconcile_WithoutPassword_ExplainsOrder()
    {
        var reconciler = new DatabaseReconciler(new HangingTenantDatabase());
        var context = new TenantContext(TestTenants.Build("alice"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => reconciler.ReconcileAsync(context, CancellationToken.None));

        Assert.Contains("default/alice has no database password", error.Message);
        Assert.Contains("Secret step must run before", error.Message);
    }

    [Fact]
    public async Task Reconcile_UnreachableServer_Throws()
    {
        await using var database = new PostgresTenantDatabase(TestOptions.Create($"Host=127.0.0.1;Port={TcpPorts.GetFreePort()};Username=postgres;Password=x;Timeout=2"));
        var reconciler = new DatabaseReconciler(database);
        var context = new TenantContext(TestTenants.Build("alice")) { DatabasePassword = "p" };

        await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(() => reconciler.ReconcileAsync(context, CancellationToken.None));
        Assert.False(context.Observations.ContainsKey(ConditionTypes.DatabaseReady));
    }
}
