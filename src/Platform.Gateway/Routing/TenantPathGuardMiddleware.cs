using Microsoft.AspNetCore.Http.Features;
using Platform.Gateway.Hosting;
using Platform.Gateway.Tenants;

namespace Platform.Gateway.Routing;

/// <summary>
/// Rejects, before routing, tenant paths that the gateway and a tracking server could read differently:
/// dot segments, encoded slashes or backslashes, empty segments, a tenant segment that is not exactly
/// a valid lowercase name, and a second <c>/u/</c> prefix.
/// </summary>
/// <remarks>
/// Kestrel already resolves dot segments in <c>Request.Path</c>, so the checks read the raw request
/// target as the client sent it.
/// </remarks>
internal sealed class TenantPathGuardMiddleware
{
    private readonly RequestDelegate _next;

    public TenantPathGuardMiddleware(RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        _next = next;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var rawPath = ExtractPath(rawTarget);
        var problem = Check(rawPath);
        if (problem is null)
        {
            await _next(context);
            return;
        }

        await MlflowError.WriteAsync(context, StatusCodes.Status400BadRequest, MlflowError.InvalidParameterValue, problem);
    }

    /// <summary>Returns null when <paramref name="rawPath"/> is acceptable, otherwise the reason it is rejected.</summary>
    internal static string? Check(string rawPath)
    {
        var segments = rawPath.Split('/');

        // segments[0] is the empty text before the leading slash.
        if (segments.Length < 3 || !string.Equals(segments[1], "u", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (segments[1] != "u")
        {
            return $"Invalid path '{rawPath}': the tenant prefix is '/u/' in lowercase.";
        }

        if (rawPath.Contains('\\', StringComparison.Ordinal) ||
            rawPath.Contains("%2f", StringComparison.OrdinalIgnoreCase) ||
            rawPath.Contains("%5c", StringComparison.OrdinalIgnoreCase) ||
            rawPath.Contains("%00", StringComparison.Ordinal))
        {
            return $"Invalid path '{rawPath}': encoded slashes, backslashes and NUL are not accepted in tenant paths.";
        }

        for (var i = 2; i < segments.Length; i++)
        {
            var decoded = Uri.UnescapeDataString(segments[i]);
            if (decoded is "." or "..")
            {
                return $"Invalid path '{rawPath}': '.' and '..' segments are not accepted in tenant paths.";
            }

            // An empty last segment is a trailing slash, which is harmless.
            if (segments[i].Length == 0 && i < segments.Length - 1)
            {
                return $"Invalid path '{rawPath}': empty segments ('//') are not accepted in tenant paths.";
            }
        }

        var tenant = segments[2];
        if (!TenantName.IsValid(tenant))
        {
            return TenantName.Validate(tenant) + " Tenant names in paths are matched exactly, without decoding or case folding.";
        }

        if (segments.Length > 3 && string.Equals(segments[3], "u", StringComparison.OrdinalIgnoreCase))
        {
            return $"Invalid path '{rawPath}': a tenant path cannot contain a second '/u/' prefix.";
        }

        return null;
    }

    private static string ExtractPath(string rawTarget)
    {
        var query = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = query >= 0 ? rawTarget[..query] : rawTarget;

        // Absolute-form targets ("http://host/u/..."), which proxies may send, carry the path after the authority.
        if (!path.StartsWith('/') && Uri.TryCreate(path, UriKind.Absolute, out var uri))
        {
            var authorityEnd = path.IndexOf('/', uri.Scheme.Length + 3);
            path = authorityEnd >= 0 ? path[authorityEnd..] : "/";
        }

        return path;
    }
}
