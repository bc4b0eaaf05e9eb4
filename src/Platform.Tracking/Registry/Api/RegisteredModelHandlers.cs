using Platform.Tracking.Api;
using Platform.Tracking.Registry.Model;
using Platform.Tracking.Registry.Search;
using Platform.Tracking.Registry.Storage;

namespace Platform.Tracking.Registry.Api;

/// <summary>Handlers of the <c>registered-models/*</c> routes of model_registry.proto.</summary>
internal sealed class RegisteredModelHandlers : IAddOnRoutes
{
    /// <summary>Default and maximum page sizes of registered-models/search (model_registry.proto).</summary>
    public const int SearchMaxResultsDefault = 100;
    public const int SearchMaxResultsThreshold = 1000;

    private const string Prefix = "2.0/mlflow/registered-models/";

    private readonly IModelRegistryStore _store;

    public RegisteredModelHandlers(IModelRegistryStore store)
    {
        ArgumentNullException.ThrowIfNull(store);

        _store = store;
    }

    public void Register(AddOnApiRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);

        router.Add("POST", Prefix + "create", CreateAsync);
        router.Add("GET", Prefix + "get", GetAsync);
        router.Add("GET", Prefix + "search", SearchAsync);
        router.Add("POST", Prefix + "rename", RenameAsync);
        router.Add("PATCH", Prefix + "update", UpdateAsync);
        router.Add("DELETE", Prefix + "delete", DeleteAsync);
        router.Add("POST", Prefix + "set-tag", SetTagAsync);
        router.Add("DELETE", Prefix + "delete-tag", DeleteTagAsync);
        router.Add("POST", Prefix + "alias", SetAliasAsync);
        router.Add("DELETE", Prefix + "alias", DeleteAliasAsync);
        router.Add("GET", Prefix + "alias", GetByAliasAsync);
        router.Add("POST", Prefix + "get-latest-versions", GetLatestVersionsAsync);
        router.Add("GET", Prefix + "get-latest-versions", GetLatestVersionsAsync);
    }

    private async Task CreateAsync(AddOnRequest request)
    {
        var message = request.Message;
        var name = message.RequireString("name");
        var tags = RequestParsing.GetKeyValues(message.GetObjectList("tags"), "tags", RegistryValidator.ValidateTag);
        var model = await _store.CreateRegisteredModelAsync(name, message.GetString("description"), tags, request.Aborted);
        await WriteModelAsync(request, model);
    }

    private async Task GetAsync(AddOnRequest request)
    {
        var model = await _store.GetRegisteredModelAsync(request.Message.RequireString("name"), request.Aborted);
        await WriteModelAsync(request, model);
    }

    private async Task SearchAsync(AddOnRequest request)
    {
        var message = request.Message;
        var query = new RegistrySearchQuery(
            RegisteredModelSearchRules.ParseFilter(message.GetString("filter")),
            RegisteredModelSearchRules.ParseOrderBy(message.GetStringList("order_by")),
            RequestParsing.GetMaxResults(message, SearchMaxResultsDefault, SearchMaxResultsThreshold),
            message.GetString("page_token"));
        var page = await _store.SearchRegisteredModelsAsync(query, request.Aborted);
        await JsonResults.WritePageAsync(request.Context, "registered_models", page, RegistryJsonWriter.WriteRegisteredModel);
    }

    private async Task RenameAsync(AddOnRequest request)
    {
        var message = request.Message;
        var name = message.RequireString("name");
        var newName = message.RequireString("new_name");
        var model = await _store.RenameRegisteredModelAsync(name, newName, request.Aborted);
        await WriteModelAsync(request, model);
    }

    private async Task UpdateAsync(AddOnRequest request)
    {
        var message = request.Message;
        var model = await _store.UpdateRegisteredModelAsync(message.RequireString("name"), message.GetString("description"), request.Aborted);
        await WriteModelAsync(request, model);
    }

    private async Task DeleteAsync(AddOnRequest request)
    {
        await _store.DeleteRegisteredModelAsync(request.Message.RequireString("name"), request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private async Task SetTagAsync(AddOnRequest request)
    {
        var message = request.Message;
        var name = message.RequireString("name");
        var key = message.RequireString("key");
        var value = message.GetString("value") ?? throw FieldReader.Missing("value");
        RegistryValidator.ValidateTag(key, value);
        await _store.SetRegisteredModelTagAsync(name, new Tracking.Model.KeyValue(key, value), request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private async Task DeleteTagAsync(AddOnRequest request)
    {
        var message = request.Message;
        await _store.DeleteRegisteredModelTagAsync(message.RequireString("name"), message.RequireString("key"), request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private async Task SetAliasAsync(AddOnRequest request)
    {
        var message = request.Message;
        var name = message.RequireString("name");
        var alias = message.GetString("alias") ?? throw FieldReader.Missing("alias");
        RegistryValidator.ValidateAlias(alias);
        var version = RegistryValidator.GetVersion(message);
        await _store.SetAliasAsync(name, alias, version, request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private async Task DeleteAliasAsync(AddOnRequest request)
    {
        var message = request.Message;
        var name = message.RequireString("name");
        var alias = message.GetString("alias") ?? throw FieldReader.Missing("alias");
        RegistryValidator.ValidateAlias(alias);
        await _store.DeleteAliasAsync(name, alias, request.Aborted);
        await JsonResults.WriteEmptyAsync(request.Context);
    }

    private async Task GetByAliasAsync(AddOnRequest request)
    {
        var message = request.Message;
        var name = message.RequireString("name");
        var alias = message.GetString("alias") ?? throw FieldReader.Missing("alias");
        RegistryValidator.ValidateAlias(alias);
        var version = await _store.GetModelVersionByAliasAsync(name, alias, request.Aborted);
        await JsonResults.WriteObjectAsync(request.Context, writer =>
        {
            writer.WritePropertyName("model_version");
            RegistryJsonWriter.WriteModelVersion(writer, version);
        });
    }

    private async Task GetLatestVersionsAsync(AddOnRequest request)
    {
        var message = request.Message;
        var name = message.RequireString("name");
        var stages = message.GetStringList("stages").Select(ModelVersionStages.Canonicalize).Distinct().ToList();
        var versions = await _store.GetLatestVersionsAsync(name, stages, request.Aborted);
        await JsonResults.WriteObjectAsync(request.Context, writer =>
        {
            writer.WriteStartArray("model_versions");
            foreach (var version in versions)
            {
                RegistryJsonWriter.WriteModelVersion(writer, version);
            }

            writer.WriteEndArray();
        });
    }

    private static Task WriteModelAsync(AddOnRequest request, RegisteredModel model) =>
        JsonResults.WriteObjectAsync(request.Context, writer =>
        {
            writer.WritePropertyName("registered_model");
            RegistryJsonWriter.WriteRegisteredModel(writer, model);
        });
}
