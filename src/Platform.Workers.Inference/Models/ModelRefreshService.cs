using Microsoft.Extensions.Options;
using Platform.Models.Ffm.Model;
using Platform.Tracking.Client;

namespace Platform.Workers.Inference.Models;

/// <summary>
/// Loads the configured <c>models:/</c> URI at start and then resolves it again every poll interval.
/// When an alias or stage moves to another version, that version is downloaded, loaded and swapped in.
/// </summary>
public sealed class ModelRefreshService(
    TrackingClient client, ModelHolder holder, IOptions<InferenceOptions> options, ILogger<ModelRefreshService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.ModelUri))
        {
            throw new InvalidOperationException("No model configured: pass --model models:/<name>@<alias> or set Inference:ModelUri.");
        }

        InferenceLog.RefreshStarted(logger, settings.ModelUri, settings.PollInterval);
        using var timer = new PeriodicTimer(settings.PollInterval);
        do
        {
            try
            {
                await RefreshAsync(settings, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                InferenceLog.LoadFailed(logger, exception, settings.ModelUri, holder.Current?.Version ?? "none", settings.PollInterval);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));

        InferenceLog.RefreshStopped(logger, settings.ModelUri);
    }

    /// <summary>Loads the version the URI names now, unless it is the one already served.</summary>
    public async Task RefreshAsync(InferenceOptions settings, CancellationToken cancellationToken)
    {
        var version = await client.Models.ResolveVersionAsync(settings.ModelUri, cancellationToken).ConfigureAwait(false);
        var current = holder.Current;
        if (current is not null && current.Name == version.Name && current.Version == version.Version)
        {
            return;
        }

        var downloaded = await client.Models.DownloadAsync(settings.ModelUri, cancellationToken).ConfigureAwait(false);
        var path = Path.Combine(downloaded.LocalPath, settings.ModelFileName);
        var model = await FfmModelFile.LoadAsync(path, cancellationToken).ConfigureAwait(false);
        holder.Swap(new ServedModel(downloaded.Version.Name, downloaded.Version.Version, model));
        InferenceLog.ModelLoaded(logger, downloaded.Version.Name, downloaded.Version.Version, model.FeatureCount, model.FieldCount, model.LatentDimension, settings.ModelUri);
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
