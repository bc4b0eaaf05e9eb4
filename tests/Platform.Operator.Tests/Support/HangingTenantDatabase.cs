using Platform.Operator.Database;

namespace Platform.Operator.Tests.Support;

/// <summary>An <see cref="ITenantDatabase"/> whose EnsureAsync never returns, to stop a reconcile halfway.</summary>
internal sealed class HangingTenantDatabase : ITenantDatabase
{
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task EnsureAsync(TenantDatabaseNames names, string password, CancellationToken cancellationToken)
    {
        Entered.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    public Task DropAsync(TenantDatabaseNames names, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> SchemaExistsAsync(TenantDatabaseNames names, CancellationToken cancellationToken) => Task.FromResult(false);

    public string BuildBackendStoreUri(TenantDatabaseNames names, string password) => $"postgresql://{names.Role}:{password}@127.0.0.1:1/none?schema={names.Schema}";
}
