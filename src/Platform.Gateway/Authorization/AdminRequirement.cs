using Microsoft.AspNetCore.Authorization;

namespace Platform.Gateway.Authorization;

/// <summary>Requires the admin token or a configured admin's identity.</summary>
internal sealed class AdminRequirement : IAuthorizationRequirement;
