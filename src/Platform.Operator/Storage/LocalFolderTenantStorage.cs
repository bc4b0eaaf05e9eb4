using Microsoft.Extensions.Options;
using Platform.Operator.Hosting;

namespace Platform.Operator.Storage;

/// <summary><see cref="ITenantStorage"/> on a local folder used in place of the bucket (one machine, tests).</summary>
public sealed class LocalFolderTenantStorage(IOptions<OperatorOptions> options) : ITenantStorage
{
    private readonly string _root = Path.GetFullPath(options.Value.LocalStorageRoot);

    public string DestinationFor(string prefix) => Path.Combine(_root, prefix);

    public Task EnsurePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        TenantPrefix.Validate(prefix);
        Directory.CreateDirectory(Path.Combine(_root, prefix));
        return Task.CompletedTask;
    }

    public Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        TenantPrefix.Validate(prefix);
        var folder = Path.Combine(_root, prefix);
        if (!Directory.Exists(folder))
        {
            return Task.FromResult(0);
        }

        var count = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Count();
        Directory.Delete(folder, recursive: true);
        return Task.FromResult(count);
    }
}
