using Google.Cloud.Storage.V1;
using Microsoft.Extensions.Options;
using Platform.Operator.Hosting;

namespace Platform.Operator.Storage;

/// <summary><see cref="ITenantStorage"/> on Google Cloud Storage through the official client and application default credentials.</summary>
public sealed class GcsTenantStorage(StorageClient client, IOptions<OperatorOptions> options) : ITenantStorage
{
    private readonly string _bucket = options.Value.Bucket;

    public string DestinationFor(string prefix) => $"gs://{_bucket}/{prefix}";

    public async Task EnsurePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        TenantPrefix.Validate(prefix);

        // GCS has no folders: a prefix exists once an object is written, so only the bucket is checked.
        await client.GetBucketAsync(_bucket, cancellationToken: cancellationToken);
    }

    public async Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken)
    {
        TenantPrefix.Validate(prefix);
        var deleted = 0;
        await foreach (var item in client.ListObjectsAsync(_bucket, prefix).WithCancellation(cancellationToken))
        {
            await client.DeleteObjectAsync(_bucket, item.Name, cancellationToken: cancellationToken);
            deleted++;
        }

        return deleted;
    }
}
