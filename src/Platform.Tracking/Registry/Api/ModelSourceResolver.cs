using System.Text.RegularExpressions;
using Platform.Tracking.Api;
using Platform.Tracking.Registry.LoggedModels;
using Platform.Tracking.Storage;

namespace Platform.Tracking.Registry.Api;

/// <summary>
/// Turns a model version source into the artifact URI that get-download-uri returns: <c>runs:/&lt;run_id&gt;/&lt;path&gt;</c>
/// becomes the run's artifact_uri plus the path, as MLflow's RunsArtifactRepository does, and MLflow 3's
/// <c>models:/&lt;model_id&gt;</c> becomes the logged model's artifact_uri. Other URIs stay as they are.
/// </summary>
internal sealed partial class ModelSourceResolver
{
    private const string RunsScheme = "runs:/";

    private readonly ITrackingStore _tracking;
    private readonly ILoggedModelStore _loggedModels;

    public ModelSourceResolver(ITrackingStore tracking, ILoggedModelStore loggedModels)
    {
        ArgumentNullException.ThrowIfNull(tracking);
        ArgumentNullException.ThrowIfNull(loggedModels);

        _tracking = tracking;
        _loggedModels = loggedModels;
    }

    /// <summary>Returns the storage location of <paramref name="source"/>; an unknown run is RESOURCE_DOES_NOT_EXIST.</summary>
    public async Task<string> ResolveAsync(string source, CancellationToken cancellationToken)
    {
        if (LoggedModelUriPattern().Match(source) is { Success: true } match)
        {
            var model = await _loggedModels.GetAsync(match.Groups[1].Value, cancellationToken);
            return model.ArtifactUri;
        }

        if (!source.StartsWith(RunsScheme, StringComparison.Ordinal))
        {
            return source;
        }

        var rest = source[RunsScheme.Length..].TrimStart('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var runId = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
        if (runId.Length == 0)
        {
            throw TrackingException.InvalidParameter(
                $"Invalid model version source: '{source}'. A runs:/ URI needs a run id, as in runs:/<run_id>/model.");
        }

        TrackingValidator.ValidateRunId(runId);
        var run = await _tracking.GetRunAsync(runId, cancellationToken);
        var root = run.Info.ArtifactUri.TrimEnd('/');
        return path.Length == 0 ? root : root + "/" + path;
    }

    /// <summary>Throws RESOURCE_DOES_NOT_EXIST unless the logged model <paramref name="modelId"/> exists.</summary>
    public async Task RequireLoggedModelAsync(string modelId, CancellationToken cancellationToken) =>
        await _loggedModels.GetAsync(modelId, cancellationToken);

    /// <summary>Matches <c>models:/m-&lt;32 hex&gt;</c>; registry URIs such as <c>models:/name/1</c> do not match.</summary>
    [GeneratedRegex("^models:/(m-[0-9a-f]{32})/?$")]
    private static partial Regex LoggedModelUriPattern();
}
