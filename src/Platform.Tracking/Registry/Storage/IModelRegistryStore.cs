using Platform.Tracking.Model;
using Platform.Tracking.Registry.Model;

namespace Platform.Tracking.Registry.Storage;

/// <summary>
/// The model registry's metadata store. Methods throw <see cref="Api.TrackingException"/> with MLflow's error codes:
/// RESOURCE_DOES_NOT_EXIST for unknown names, versions and aliases, RESOURCE_ALREADY_EXISTS for a taken name.
/// </summary>
public interface IModelRegistryStore
{
    /// <summary>Creates or upgrades the registry tables; safe when several processes start at once.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task<RegisteredModel> CreateRegisteredModelAsync(string name, string? description, IReadOnlyList<KeyValue> tags, CancellationToken cancellationToken);

    Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken);

    /// <summary>Renames a model; its versions, tags and aliases move with it.</summary>
    Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, CancellationToken cancellationToken);

    Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, CancellationToken cancellationToken);

    /// <summary>Deletes a model with all its versions, tags and aliases.</summary>
    Task DeleteRegisteredModelAsync(string name, CancellationToken cancellationToken);

    Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(RegistrySearchQuery query, CancellationToken cancellationToken);

    Task SetRegisteredModelTagAsync(string name, KeyValue tag, CancellationToken cancellationToken);

    /// <summary>Deletes a tag; deleting a tag that is not set is not an error, as in MLflow.</summary>
    Task DeleteRegisteredModelTagAsync(string name, string key, CancellationToken cancellationToken);

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/>, moving it if it pointed elsewhere.</summary>
    Task SetAliasAsync(string name, string alias, long version, CancellationToken cancellationToken);

    /// <summary>Deletes an alias; deleting an alias that is not set is not an error, as in MLflow.</summary>
    Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken);

    Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken);

    /// <summary>Returns the highest version in each of <paramref name="stages"/> (canonical names), or in every stage when empty.</summary>
    Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<string> stages, CancellationToken cancellationToken);

    /// <summary>Creates the next version of a model; numbers of deleted versions are never reused.</summary>
    Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, CancellationToken cancellationToken);

    Task<ModelVersion> GetModelVersionAsync(string name, long version, CancellationToken cancellationToken);

    Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string? description, CancellationToken cancellationToken);

    /// <summary>Deletes a version with its tags and the aliases that point at it.</summary>
    Task DeleteModelVersionAsync(string name, long version, CancellationToken cancellationToken);

    /// <summary>
    /// Moves a version to <paramref name="stage"/> (canonical name). With <paramref name="archiveExistingVersions"/>, the
    /// model's other versions in that stage move to Archived in the same transaction.
    /// </summary>
    Task<ModelVersion> TransitionModelVersionStageAsync(string name, long version, string stage, bool archiveExistingVersions, CancellationToken cancellationToken);

    Task<Page<ModelVersion>> SearchModelVersionsAsync(RegistrySearchQuery query, CancellationToken cancellationToken);

    Task SetModelVersionTagAsync(string name, long version, KeyValue tag, CancellationToken cancellationToken);

    Task DeleteModelVersionTagAsync(string name, long version, string key, CancellationToken cancellationToken);
}
