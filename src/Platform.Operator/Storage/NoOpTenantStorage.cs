using Microsoft.Extensions.Options;
using Platform.Operator.Hosting;

namespace Platform.Operator.Storage;

/// <summary>
/// <see cref="ITenantStorage"/> that touches nothing: for clusters where another system manages the bucket.
/// NOTE: with this storage a Delete policy removes no artifacts.
/// </summary>
public sealed class NoOpTenantStorage(IOptions<OperatorOptions> options) : ITenantStorage
{
    public string DestinationFor(string prefix) => $"gs://{options.Value.Bucket}/{prefix}";

    public Task EnsurePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        TenantPrefix.Validate(prefix);
        return Task.CompletedTask;
    }

    public Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        TenantPrefix.Validate(prefix);
        return Task.FromResult(0);
    }
}
