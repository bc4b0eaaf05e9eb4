using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Platform.Gateway.Authentication;
using Platform.Gateway.Hosting;

namespace Platform.Gateway.Authorization;

/// <summary>Decides <see cref="AdminRequirement"/>.</summary>
internal sealed class AdminHandler : AuthorizationHandler<AdminRequirement>
{
    private readonly IOptionsMonitor<GatewayOptions> _options;

    public AdminHandler(IOptionsMonitor<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AdminRequirement requirement)
    {
        var identity = context.User.GetGatewayIdentity();
        if (identity is null)
        {
            return Task.CompletedTask;
        }

        // A tenant-scoped platform token must not manage tenants, even when its user is an admin.
        var isAdmin = identity.Method == "admin-token" ||
            (identity.TenantScope is null && _options.CurrentValue.Admins.Any(a => string.Equals(a, identity.Email, StringComparison.OrdinalIgnoreCase)));
        if (isAdmin)
        {
            context.Succeed(requirement);
        }
        else
        {
            context.Fail(new AuthorizationFailureReason(this, $"User '{identity.Email}' is not a platform admin."));
        }

        return Task.CompletedTask;
    }
}
