using System.Net;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Platform.Operator.Api;

namespace Platform.Operator.Reconciliation;

/// <summary>Create-or-replace for owned objects, keyed on a hash of the desired state.</summary>
public static class OwnedObjects
{
    /// <summary>
    /// Creates <paramref name="desired"/> when missing, replaces the stored object when its desired-state hash or
    /// controller owner differ, and otherwise leaves it alone. Comparing a hash instead of the stored spec keeps
    /// API server defaulting from causing a write on every reconcile.
    /// </summary>
    /// <remarks>
    /// NOTE: a hand edit that keeps the hash annotation is not reverted until the desired state changes.
    /// Deleting the object or its annotation makes the next reconcile restore it.
    /// </remarks>
    public static async Task<T> ApplyAsync<T>(
        T desired,
        Func<CancellationToken, Task<T>> read,
        Func<T, CancellationToken, Task<T>> create,
        Func<T, CancellationToken, Task<T>> replace,
        Action<T, T>? keepServerFields,
        CancellationToken cancellationToken)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(desired);
        var hash = Hash(desired);
        desired.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        desired.Metadata.Annotations[TrackingServerApi.DesiredHashAnnotation] = hash;

        var existing = await ReadOrNullAsync(read, cancellationToken);
        if (existing is null)
        {
            return await create(desired, cancellationToken);
        }

        var existingHash = existing.Metadata.Annotations?.TryGetValue(TrackingServerApi.DesiredHashAnnotation, out var value) == true ? value : null;
        var ownedByUs = existing.Metadata.OwnerReferences?.Any(r => r.Controller == true && r.Uid == desired.Metadata.OwnerReferences?[0].Uid) == true;
        if (existingHash == hash && ownedByUs)
        {
            return existing;
        }

        desired.Metadata.ResourceVersion = existing.Metadata.ResourceVersion;
        keepServerFields?.Invoke(existing, desired);
        return await replace(desired, cancellationToken);
    }

    /// <summary>Returns the object that <paramref name="read"/> fetches, or null when the API server returns 404.</summary>
    public static async Task<T?> ReadOrNullAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(read);
        try
        {
            return await read(cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Returns the first 16 hex digits of the SHA-256 of an object's JSON.</summary>
    public static string Hash(object value)
    {
        var json = KubernetesJson.Serialize(value);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
    }
}
