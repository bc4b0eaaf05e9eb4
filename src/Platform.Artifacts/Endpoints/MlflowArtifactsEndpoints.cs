using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Platform.Artifacts;

/// <summary>Maps the MLflow artifact proxy routes.</summary>
public static class MlflowArtifactsEndpoints
{
    /// <summary>Route prefixes: the REST API and the copy MLflow's web UI calls.</summary>
    public static readonly IReadOnlyList<string> RoutePrefixes = ["/api/2.0/mlflow-artifacts", "/ajax-api/2.0/mlflow-artifacts"];

    /// <summary>
    /// Maps download, upload, delete and list under <c>/api/2.0/mlflow-artifacts/artifacts</c> and
    /// <c>/ajax-api/2.0/mlflow-artifacts/artifacts</c>, plus the multipart-upload routes, which return
    /// NOT_IMPLEMENTED (501). Requires <c>AddArtifactStore</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapMlflowArtifacts(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var handlers = endpoints.ServiceProvider.GetService<Endpoints.ArtifactRequestHandlers>()
            ?? throw new InvalidOperationException(
                "The artifact store is not registered. Call services.AddArtifactStore(destination) before MapMlflowArtifacts().");

        foreach (var prefix in RoutePrefixes)
        {
            var group = endpoints.MapGroup(prefix);
            group.MapGet("/artifacts", handlers.ListAsync);
            group.MapGet("/artifacts/{**path}", handlers.DownloadAsync);
            group.MapPut("/artifacts/{**path}", handlers.UploadAsync);
            group.MapDelete("/artifacts/{**path}", handlers.DeleteAsync);
            foreach (var operation in new[] { "create", "complete", "abort" })
            {
                group.MapPost($"/mpu/{operation}/{{**path}}", handlers.MultipartNotImplementedAsync);
            }
        }

        return endpoints;
    }
}
