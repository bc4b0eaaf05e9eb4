using Platform.Gateway.Authentication;
using Yarp.ReverseProxy.Transforms;

namespace Platform.Gateway.Routing;

/// <summary>
/// Replaces every identity header on a proxied request: the client's credentials and any
/// <c>X-LabPlatform-*</c> or <c>x-goog-*</c> header are removed, then <c>X-LabPlatform-User</c>
/// and <c>X-LabPlatform-Gateway-Secret</c> are set from the authenticated caller.
/// </summary>
internal sealed class IdentityHeaderTransform : RequestTransform
{
    public const string UserHeader = "X-LabPlatform-User";
    public const string SecretHeader = "X-LabPlatform-Gateway-Secret";

    private readonly GatewaySecret _secret;

    public IdentityHeaderTransform(GatewaySecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        _secret = secret;
    }

    public override ValueTask ApplyAsync(RequestTransformContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        var headers = context.ProxyRequest.Headers;
        var names = headers.Select(h => h.Key).Where(IsClientIdentityHeader).ToList();
        foreach (var name in names)
        {
            headers.Remove(name);
        }

        // Authorization policies run before the proxy, so an anonymous request never reaches here.
        var identity = context.HttpContext.User.GetGatewayIdentity()
            ?? throw new InvalidOperationException("A proxied request reached the identity transform without an authenticated user.");
        headers.TryAddWithoutValidation(UserHeader, identity.Email);
        headers.TryAddWithoutValidation(SecretHeader, _secret.Value);
        return ValueTask.CompletedTask;
    }

    internal static bool IsClientIdentityHeader(string name) =>
        name.StartsWith("X-LabPlatform-", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("x-goog-", StringComparison.OrdinalIgnoreCase) ||
        string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase) ||
        string.Equals(name, "Proxy-Authorization", StringComparison.OrdinalIgnoreCase);
}
