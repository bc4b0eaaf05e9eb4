using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Platform.Gateway.Authorization;
using Platform.Gateway.Hosting;
using Platform.Gateway.Routing;
using Platform.Gateway.Runtime;
using Platform.Gateway.Tenants;
using Platform.Gateway.Tokens;

namespace Platform.Gateway.Admin;

/// <summary>The admin API that <c>labctl</c> calls: tenants and platform tokens under <c>/admin/v1/</c>.</summary>
internal static partial class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/admin/v1").RequireAuthorization(GatewayPolicies.Admin);
        group.MapGet("/tenants", ListTenants);
        group.MapGet("/tenants/{name}", GetTenant);
        group.MapPost("/tenants", CreateTenantAsync);
        group.MapPatch("/tenants/{name}", UpdateTenantAsync);
        group.MapDelete("/tenants/{name}", DeleteTenantAsync);
        group.MapGet("/tokens", ListTokens);
        group.MapPost("/tokens", CreateTokenAsync);
        group.MapDelete("/tokens/{id}", RevokeTokenAsync);
        return endpoints;
    }

    private static IResult ListTenants(TenantStore tenants, ITenantDestinations destinations) =>
        Results.Ok(new { tenants = tenants.List().Select(t => Describe(t, destinations)) });

    private static IResult GetTenant(string name, TenantStore tenants, ITenantDestinations destinations) =>
        tenants.Find(name) is { } tenant
            ? Results.Ok(Describe(tenant, destinations))
            : TenantNotFound(name);

    private static readonly Dictionary<string, string> CreateTenantFields = new(StringComparer.Ordinal)
    {
        ["name"] = "a tenant name string",
        ["owner"] = "an email address string",
        ["collaborators"] = "a list of email address strings",
        ["destination"] = "a URL string",
    };

    private static readonly Dictionary<string, string> CreateTokenFields = new(StringComparer.Ordinal)
    {
        ["user"] = "an email address string",
        ["tenant"] = "a tenant name string",
        ["expires_in_seconds"] = "a whole number of seconds",
        ["description"] = "a string",
    };

    private static async Task<IResult> CreateTenantAsync(
        HttpRequest httpRequest,
        IOptions<JsonOptions> jsonOptions,
        TenantStore tenants,
        ITenantDestinations destinations,
        IServiceProvider services,
        IOptions<LocalRuntimeOptions> runtimeOptions,
        CancellationToken cancellationToken)
    {
        var (request, bodyError) = await AdminRequestBody.ReadAsync<CreateTenantRequest>(httpRequest, CreateTenantFields, jsonOptions.Value.SerializerOptions, cancellationToken);
        if (request is null)
        {
            return bodyError!;
        }

        var errors = new List<string>();
        if (TenantName.Validate(AdminLimits.Echo(request.Name)) is { } nameError)
        {
            errors.Add(nameError);
        }

        if (!EmailAddress.IsValid(request.Owner))
        {
            errors.Add($"Invalid owner '{AdminLimits.Echo(request.Owner)}': give the owner's email address, for example ada@lab.example.");
        }

        var collaborators = request.Collaborators ?? [];
        if (collaborators.Count > AdminLimits.MaxCollaboratorsPerTenant)
        {
            errors.Add($"Too many collaborators: {collaborators.Count} given, a tenant has at most {AdminLimits.MaxCollaboratorsPerTenant}.");
        }

        foreach (var collaborator in collaborators.Where(c => !EmailAddress.IsValid(c)).Take(AdminLimits.MaxLoggedAddresses))
        {
            errors.Add($"Invalid collaborator '{AdminLimits.Echo(collaborator)}': give an email address such as ada@lab.example.");
        }

        if (request.Owner is not null && collaborators.Contains(request.Owner, StringComparer.OrdinalIgnoreCase))
        {
            errors.Add($"'{AdminLimits.Echo(request.Owner)}' is the owner and cannot also be a collaborator: leave it out of collaborators.");
        }

        if (request.Destination is { } destination &&
            (!Uri.TryCreate(destination, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"Invalid destination '{AdminLimits.Echo(destination)}': give an absolute http or https URL of a tracking server.");
        }

        if (errors.Count > 0)
        {
            return Error(StatusCodes.Status400BadRequest, MlflowError.InvalidParameterValue, string.Join(" ", errors));
        }

        var tenant = await tenants.CreateAsync(request.Name!, request.Owner!, collaborators, request.Destination, cancellationToken);
        if (tenant is null)
        {
            return Error(StatusCodes.Status409Conflict, MlflowError.ResourceAlreadyExists, $"Tenant '{request.Name}' already exists.");
        }

        // In local mode the response waits until the new tracking server is healthy, so the tenant works right after 'labctl tenant create'.
        if (services.GetService<LocalTenantRuntime>() is { } runtime && tenant.Destination is null)
        {
            await runtime.ReconcileAsync(tenant.Name, cancellationToken);
            try
            {
                await runtime.WaitForReadyAsync(tenant.Name, runtimeOptions.Value.StartTimeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                // The tenant exists and keeps starting in the background, so the response reports status 'starting'.
            }
        }

        return Results.Json(Describe(tenant, destinations), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> DeleteTenantAsync(string name, TenantStore tenants, AccessTokenStore tokens, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (!await tenants.DeleteAsync(name, cancellationToken))
        {
            return TenantNotFound(name);
        }

        var revoked = await tokens.RevokeForTenantAsync(name, cancellationToken);
        if (services.GetService<LocalTenantRuntime>() is { } runtime)
        {
            await runtime.ReconcileAsync(name, cancellationToken);
        }

        return Results.Ok(new { deleted = name, revoked_tokens = revoked });
    }

    private static IResult ListTokens(AccessTokenStore tokens) =>
        Results.Ok(new { tokens = tokens.List().Select(TokenResponse.From) });

    private static async Task<IResult> CreateTokenAsync(
        HttpRequest httpRequest, IOptions<JsonOptions> jsonOptions, AccessTokenStore tokens, TenantStore tenants, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, bodyError) = await AdminRequestBody.ReadAsync<CreateTokenRequest>(httpRequest, CreateTokenFields, jsonOptions.Value.SerializerOptions, cancellationToken);
        if (request is null)
        {
            return bodyError!;
        }

        var errors = new List<string>();
        if (!EmailAddress.IsValid(request.User))
        {
            errors.Add($"Invalid user '{AdminLimits.Echo(request.User)}': give the user's email address.");
        }

        if (request.Tenant is not null && tenants.Find(request.Tenant) is null)
        {
            errors.Add($"Tenant '{AdminLimits.Echo(request.Tenant)}' does not exist; create it first or leave the tenant out.");
        }

        if (request.ExpiresInSeconds is <= 0)
        {
            errors.Add($"Invalid expires_in_seconds {request.ExpiresInSeconds}: it must be positive, or absent for no expiry.");
        }

        if (errors.Count > 0)
        {
            return Error(StatusCodes.Status400BadRequest, MlflowError.InvalidParameterValue, string.Join(" ", errors));
        }

        DateTimeOffset? expiresAt = request.ExpiresInSeconds is { } seconds ? time.GetUtcNow().AddSeconds(seconds) : null;
        var (token, secret) = await tokens.CreateAsync(request.User!, request.Tenant, request.Description, expiresAt, cancellationToken);
        return Results.Json(new CreateTokenResponse(TokenResponse.From(token), secret), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> RevokeTokenAsync(string id, AccessTokenStore tokens, CancellationToken cancellationToken) =>
        await tokens.RevokeAsync(id, cancellationToken) is { } token
            ? Results.Ok(TokenResponse.From(token))
            : Error(StatusCodes.Status404NotFound, MlflowError.ResourceDoesNotExist, $"Token '{AdminLimits.Echo(id)}' does not exist; list tokens with 'labctl token list'.");

    private static TenantResponse Describe(Tenant tenant, ITenantDestinations destinations) =>
        TenantResponse.From(tenant, destinations.Resolve(tenant) is not null, destinations is LocalTenantRuntime);

    private static IResult TenantNotFound(string name) =>
        Error(StatusCodes.Status404NotFound, MlflowError.ResourceDoesNotExist, $"Tenant '{AdminLimits.Echo(name)}' does not exist.");

    private static IResult Error(int statusCode, string errorCode, string message) =>
        Results.Json(new MlflowError(errorCode, message), statusCode: statusCode);
}
