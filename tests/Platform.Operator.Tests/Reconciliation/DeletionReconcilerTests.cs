using Microsoft.Extensions.Logging.Abstractions;
using Platform.Operator.Api;
using Platform.Operator.Database;
using Platform.Operator.Reconciliation;
using Platform.Operator.Storage;
using Platform.Operator.Tests.Support;
using Platform.Testing;
using Platform.Testing.Kubernetes;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class DeletionReconcilerTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "operator-deletion-" + Guid.NewGuid().ToString("N"));
    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await TestPostgres.CreateDatabaseAsync("operator_deletion");

    public Task DisposeAsync()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Delete_DropsSchemaAndPrefix()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        var options = TestOptions.Create(_connectionString, _root);
        await using var database = new PostgresTenantDatabase(options);
        var storage = new LocalFolderTenantStorage(options);
        var context = new TenantContext(TestTenants.Build(TestTenants.UniqueName(), policy: DeletionPolicy.Delete));
        await database.EnsureAsync(context.DatabaseNames, "p", CancellationToken.None);
        await storage.EnsurePrefixAsync(context.BucketPrefix, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(_root, context.BucketPrefix, "model.bin"), "w");

        await Create(client, database, storage).ReconcileAsync(context, CancellationToken.None);

        Assert.False(await database.SchemaExistsAsync(context.DatabaseNames, CancellationToken.None));
        Assert.False(Directory.Exists(Path.Combine(_root, context.BucketPrefix)));
        var deleted = Assert.Single(server.List("", "v1", "events", "default"));
        Assert.Equal("Deleted", (string?)deleted["reason"]);
        Assert.Contains("deleted 1 objects", (string?)deleted["message"]);
    }

    [Fact]
    public async Task Retain_KeepsEverythingAndRecordsEvent()
    {
        await using var server = await KubernetesTestServer.StartAsync();
        using var client = server.CreateClient();
        var options = TestOptions.Create(_connectionString, _root);
        await using var database = new PostgresTenantDatabase(options);
        var storage = new LocalFolderTenantStorage(options);
        var context = new TenantContext(TestTenants.Build(TestTenants.UniqueName()));
        await database.EnsureAsync(context.DatabaseNames, "p", CancellationToken.None);
        await storage.EnsurePrefixAsync(context.BucketPrefix, CancellationToken.None);

        try
        {
            await Create(client, database, storage).ReconcileAsync(context, CancellationToken.None);

            Assert.True(await database.SchemaExistsAsync(context.DatabaseNames, CancellationToken.None));
            Assert.True(Directory.Exists(Path.Combine(_root, context.BucketPrefix)));
            var retained = Assert.Single(server.List("", "v1", "events", "default"));
            Assert.Equal("Retained", (string?)retained["reason"]);
            Assert.Equal(
                $"deletionPolicy is Retain: kept schema {context.DatabaseNames.Schema}, role {context.DatabaseNames.Role} and objects under {context.BucketPrefix}.",
                (string?)retained["message"]);
        }
        finally
        {
            await database.DropAsync(context.DatabaseNames, CancellationToken.None);
        }
    }

    private static DeletionReconciler Create(k8s.IKubernetes client, ITenantDatabase database, ITenantStorage storage) =>
        new(database, storage, new EventRecorder(client, TimeProvider.System, NullLogger<EventRecorder>.Instance), NullLogger<DeletionReconciler>.Instance);
}
