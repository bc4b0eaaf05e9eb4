using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Platform.Gateway.Authentication;
using Platform.Gateway.Hosting;
using Platform.Gateway.Tenants;

namespace Platform.Gateway.Authorization;

/// <summary>Decides <see cref="TenantAccessRequirement"/> from the tenant registry and the admin list.</summary>
internal sealed class TenantAccessHandler : AuthorizationHandler<TenantAccessRequirement>
{
    private readonly TenantStore _tenants;
    private readonly IOptionsMonitor<GatewayOptions> _options;

    public TenantAccessHandler(TenantStore tenants, IOptionsMonitor<GatewayOptions> options)
    {
        ArgumentNullException.ThrowIfNull(tenants);
        ArgumentNullException.ThrowIfNull(options);

        _tenants = tenants;
        _options = options;
    }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TenantAccessRequirement requirement)
    {
        var identity = context.User.GetGatewayIdentity();
        if (identity is null || context.Resource is not HttpContext httpContext)
        {
            return Task.CompletedTask;
        }

        var tenantName = TenantRouteMetadata.GetTenant(httpContext);
        var tenant = tenantName is null ? null : _tenants.Find(tenantName);
        if (tenant is null)
        {
            // A route without a registered tenant is a deleted tenant whose route is being removed.
            context.Fail(new TenantNotFoundReason(this, tenantName ?? string.Empty));
            return Task.CompletedTask;
        }

        if (identity.Method == "admin-token")
        {
            context.Fail(new AuthorizationFailureReason(this, "The admin token is only for the admin API; create a platform token with 'labctl token create'."));
            return Task.CompletedTask;
        }

        if (identity.TenantScope is not null && identity.TenantScope != tenant.Name)
        {
            context.Fail(new AuthorizationFailureReason(this, $"This platform token is limited to tenant '{identity.TenantScope}' and cannot be used for tenant '{tenant.Name}'."));
            return Task.CompletedTask;
        }

        if (tenant.IsMember(identity.Email) || IsAdmin(identity.Email))
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        context.Fail(new AuthorizationFailureReason(this, $"User '{identity.Email}' is not the owner or a collaborator of tenant '{tenant.Name}'."));
        return Task.CompletedTask;
    }

    private bool IsAdmin(string email) =>
        _options.CurrentValue.Admins.Any(a => string.Equals(a, email, StringComparison.OrdinalIgnoreCase));
}
