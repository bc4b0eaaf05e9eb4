using Platform.Artifacts;
using Platform.Artifacts.Runs;
using Platform.Tracking.Storage;

namespace Platform.Tracking.Api;

/// <summary>
/// Handler of <c>GET artifacts/list</c>, which lists one folder level of a run's artifacts through the artifact
/// store that the server hosts for the artifact proxy.
/// </summary>
internal sealed class ArtifactListHandlers
{
    private readonly ITrackingStore _store;
    private readonly RunArtifactLister? _lister;

    public ArtifactListHandlers(ITrackingStore store, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(services);

        _store = store;

        // A server started without an artifact destination has no store; the route then returns an error that names the missing store instead of failing.
        _lister = services.GetService<RunArtifactLister>();
    }

    public void Register(IDictionary<string, MlflowEndpoint> routes)
    {
        routes["artifacts/list"] = new(["GET"], ListAsync);
    }

    private async Task ListAsync(HttpContext context, RequestMessage message)
    {
        var runId = RequestParsing.GetRunId(message);
        var run = await _store.GetRunAsync(runId, context.RequestAborted);
        if (_lister is null)
        {
            throw new TrackingException(ErrorCodes.NotImplemented,
                "This tracking server hosts no artifact store. Start it with --artifacts-destination to list artifacts.");
        }

        RunArtifactList listing;
        try
        {
            listing = await _lister.ListAsync(run.Info.ArtifactUri, message.GetString("path"), context.RequestAborted);
        }
        catch (ArtifactException ex)
        {
            throw new TrackingException(ex.ErrorCode, ex.Message);
        }

        await JsonResults.WriteObjectAsync(context, writer =>
        {
            writer.WriteString("root_uri", listing.RootUri);
            writer.WriteStartArray("files");
            foreach (var file in listing.Files)
            {
                writer.WriteStartObject();
                writer.WriteString("path", file.Path);
                writer.WriteBoolean("is_dir", file.IsDir);
                if (file.FileSize is { } size)
                {
                    writer.WriteNumber("file_size", size);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }
}
