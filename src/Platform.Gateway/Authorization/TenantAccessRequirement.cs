using Microsoft.AspNetCore.Authorization;

namespace Platform.Gateway.Authorization;

/// <summary>Requires the caller to be the owner, a collaborator or an admin of the matched route's tenant.</summary>
internal sealed class TenantAccessRequirement : IAuthorizationRequirement;
