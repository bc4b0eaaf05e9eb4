using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;
using Platform.Operator.Api;
using Platform.Operator.Database;
using Platform.Operator.Hosting;

namespace Platform.Operator.Reconciliation;

/// <summary>
/// Keeps the tenant's two Secrets: the database Secret (role, password, backend store URI) and the service-token
/// Secret for training jobs. Passwords and tokens are generated once and then read back, never rotated here.
/// </summary>
public sealed class SecretReconciler(IKubernetes client, ITenantDatabase database, IOptions<OperatorOptions> options) : ITenantReconciler
{
    public const string PasswordKey = "password";
    public const string BackendStoreUriKey = "backend-store-uri";
    public const string TokenKey = "token";

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public string ConditionType => ConditionTypes.DatabaseReady;

    public string FailureReason => "SecretFailed";

    public async Task ReconcileAsync(TenantContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ns = context.Namespace;

        var existingDatabase = await OwnedObjects.ReadOrNullAsync(
            ct => client.CoreV1.ReadNamespacedSecretAsync(context.Names.DatabaseSecret, ns, cancellationToken: ct), cancellationToken);
        var password = ReadKey(existingDatabase, PasswordKey) ?? GenerateSecret(32);
        context.DatabasePassword = password;

        var databaseSecret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = context.OwnedMetadata(context.Names.DatabaseSecret),
            Type = "Opaque",
            StringData = null,
            Data = new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                ["username"] = Encoding.UTF8.GetBytes(context.DatabaseNames.Role),
                [PasswordKey] = Encoding.UTF8.GetBytes(password),
                ["schema"] = Encoding.UTF8.GetBytes(context.DatabaseNames.Schema),
                [BackendStoreUriKey] = Encoding.UTF8.GetBytes(database.BuildBackendStoreUri(context.DatabaseNames, password)),
            },
        };
        await ApplySecretAsync(databaseSecret, ns, cancellationToken);

        var existingToken = await OwnedObjects.ReadOrNullAsync(
            ct => client.CoreV1.ReadNamespacedSecretAsync(context.Names.TokenSecret, ns, cancellationToken: ct), cancellationToken);
        var tokenSecret = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = context.OwnedMetadata(context.Names.TokenSecret),
            Type = "Opaque",
            Data = new Dictionary<string, byte[]>(StringComparer.Ordinal)
            {
                [TokenKey] = Encoding.UTF8.GetBytes(ReadKey(existingToken, TokenKey) ?? GenerateSecret(48)),
                ["tracking-uri"] = Encoding.UTF8.GetBytes(TrackingUrl(options.Value.GatewayBaseUrl, context.Name)),
            },
        };
        await ApplySecretAsync(tokenSecret, ns, cancellationToken);
    }

    /// <summary>Returns the tenant's address through the gateway: <c>{base}/u/{name}</c>.</summary>
    public static string TrackingUrl(string gatewayBaseUrl, string tenantName) => $"{gatewayBaseUrl.TrimEnd('/')}/u/{tenantName}";

    /// <summary>Generates a random string of letters and digits, safe in URIs and SQL literals.</summary>
    public static string GenerateSecret(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        return new string(chars);
    }

    private Task<V1Secret> ApplySecretAsync(V1Secret desired, string ns, CancellationToken cancellationToken) =>
        OwnedObjects.ApplyAsync(
            desired,
            ct => client.CoreV1.ReadNamespacedSecretAsync(desired.Metadata.Name, ns, cancellationToken: ct),
            (secret, ct) => client.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: ct),
            (secret, ct) => client.CoreV1.ReplaceNamespacedSecretAsync(secret, secret.Metadata.Name, ns, cancellationToken: ct),
            keepServerFields: null,
            cancellationToken);

    private static string? ReadKey(V1Secret? secret, string key) =>
        secret?.Data is { } data && data.TryGetValue(key, out var bytes) && bytes.Length > 0 ? Encoding.UTF8.GetString(bytes) : null;
}
