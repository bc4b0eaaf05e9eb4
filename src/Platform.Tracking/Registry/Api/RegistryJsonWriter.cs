using System.Globalization;
using System.Text.Json;
using Platform.Tracking.Api;
using Platform.Tracking.Registry.Model;

namespace Platform.Tracking.Registry.Api;

/// <summary>
/// Writes registry entities in MLflow's proto JSON (model_registry.proto): versions as strings, timestamps as
/// numbers, and optional fields left out when they are not set.
/// </summary>
internal static class RegistryJsonWriter
{
    public static void WriteRegisteredModel(Utf8JsonWriter writer, RegisteredModel model)
    {
        writer.WriteStartObject();
        writer.WriteString("name", model.Name);
        writer.WriteNumber("creation_timestamp", model.CreationTimestamp);
        writer.WriteNumber("last_updated_timestamp", model.LastUpdatedTimestamp);
        if (model.Description is not null)
        {
            writer.WriteString("description", model.Description);
        }

        writer.WriteStartArray("latest_versions");
        foreach (var version in model.LatestVersions)
        {
            WriteModelVersion(writer, version);
        }

        writer.WriteEndArray();
        EntityJsonWriter.WriteKeyValues(writer, "tags", model.Tags);
        writer.WriteStartArray("aliases");
        foreach (var alias in model.Aliases)
        {
            writer.WriteStartObject();
            writer.WriteString("alias", alias.Alias);
            writer.WriteString("version", FormatVersion(alias.Version));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteModelVersion(Utf8JsonWriter writer, ModelVersion version)
    {
        writer.WriteStartObject();
        writer.WriteString("name", version.Name);
        writer.WriteString("version", FormatVersion(version.Version));
        writer.WriteNumber("creation_timestamp", version.CreationTimestamp);
        writer.WriteNumber("last_updated_timestamp", version.LastUpdatedTimestamp);
        WriteOptional(writer, "user_id", version.UserId);
        writer.WriteString("current_stage", version.CurrentStage);
        WriteOptional(writer, "description", version.Description);
        writer.WriteString("source", version.Source);
        WriteOptional(writer, "run_id", version.RunId);
        writer.WriteString("status", version.Status);
        WriteOptional(writer, "status_message", version.StatusMessage);
        EntityJsonWriter.WriteKeyValues(writer, "tags", version.Tags);
        WriteOptional(writer, "run_link", version.RunLink);
        writer.WriteStartArray("aliases");
        foreach (var alias in version.Aliases)
        {
            writer.WriteStringValue(alias);
        }

        writer.WriteEndArray();
        WriteOptional(writer, "model_id", version.ModelId);
        writer.WriteEndObject();
    }

    public static string FormatVersion(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
