using Platform.Operator.Api;
using Platform.Operator.Reconciliation;
using Platform.Operator.Storage;
using Platform.Operator.Tests.Support;

namespace Platform.Operator.Tests.Reconciliation;

public sealed class StorageReconcilerTests
{
    [Fact]
    public async Task Reconcile_CreatesPrefixFolder()
    {
        var root = Path.Combine(Path.GetTempPath(), "operator-storage-" + Guid.NewGuid().ToString("N"));
        try
        {
            var storage = new LocalFolderTenantStorage(TestOptions.Create(storageRoot: root));
            var context = new TenantContext(TestTenants.Build("alice"));

            await new StorageReconciler(storage).ReconcileAsync(context, CancellationToken.None);

            Assert.True(Directory.Exists(Path.Combine(root, "tenants", "alice")));
            Assert.True(context.Observations[ConditionTypes.StorageReady].Ready);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task DeletePrefix_RemovesOnlyThatTenant()
    {
        var root = Path.Combine(Path.GetTempPath(), "operator-storage-" + Guid.NewGuid().ToString("N"));
        try
        {
            var storage = new LocalFolderTenantStorage(TestOptions.Create(storageRoot: root));
            Directory.CreateDirectory(Path.Combine(root, "tenants", "alice", "1"));
            Directory.CreateDirectory(Path.Combine(root, "tenants", "alice-2"));
            await File.WriteAllTextAsync(Path.Combine(root, "tenants", "alice", "1", "a.txt"), "a");
            await File.WriteAllTextAsync(Path.Combine(root, "tenants", "alice", "b.txt"), "b");
            await File.WriteAllTextAsync(Path.Combine(root, "tenants", "alice-2", "c.txt"), "c");

            var deleted = await storage.DeletePrefixAsync("tenants/alice/", CancellationToken.None);

            Assert.Equal(2, deleted);
            Assert.False(Directory.Exists(Path.Combine(root, "tenants", "alice")));
            Assert.True(File.Exists(Path.Combine(root, "tenants", "alice-2", "c.txt")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("tenants/")]
    [InlineData("tenants/../etc/")]
    [InlineData("tenants/Alice/")]
    [InlineData("other/alice/")]
    [InlineData("tenants/alice")]
    public void Validate_RejectsPrefixOutsideTenant(string prefix)
    {
        var error = Assert.Throws<ArgumentException>(() => TenantPrefix.Validate(prefix));

        Assert.Contains($"'{prefix}'", error.Message);
        Assert.Contains("expected 'tenants/<name>/'", error.Message);
    }
}
