namespace Platform.Operator.Storage;

/// <summary>The artifact bucket as the operator sees it: one prefix per tenant, <c>tenants/&lt;name&gt;/</c>.</summary>
public interface ITenantStorage
{
    /// <summary>The <c>--artifacts-destination</c> value for a prefix, for example <c>gs://bucket/tenants/alice/</c>.</summary>
    string DestinationFor(string prefix);

    /// <summary>Checks that the bucket is reachable so the tenant can write under <paramref name="prefix"/>; throws when not.</summary>
    Task EnsurePrefixAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes every object under <paramref name="prefix"/> and returns how many went.</summary>
    Task<int> DeletePrefixAsync(string prefix, CancellationToken cancellationToken);
}
