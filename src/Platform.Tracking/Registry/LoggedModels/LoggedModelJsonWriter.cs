using System.Text.Json;
using Platform.Tracking.Api;

namespace Platform.Tracking.Registry.LoggedModels;

/// <summary>Writes a LoggedModel in MLflow 3's proto JSON: <c>{"info": {...}, "data": {"params", "metrics"}}</c>.</summary>
internal static class LoggedModelJsonWriter
{
    public static void WriteLoggedModel(Utf8JsonWriter writer, LoggedModel model)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("info");
        writer.WriteString("model_id", model.ModelId);
        writer.WriteString("experiment_id", model.ExperimentId);
        writer.WriteString("name", model.Name);
        writer.WriteNumber("creation_timestamp_ms", model.CreationTimestamp);
        writer.WriteNumber("last_updated_timestamp_ms", model.LastUpdatedTimestamp);
        writer.WriteString("artifact_uri", model.ArtifactUri);
        writer.WriteString("status", model.Status);
        WriteOptional(writer, "model_type", model.ModelType);
        WriteOptional(writer, "source_run_id", model.SourceRunId);
        WriteOptional(writer, "status_message", model.StatusMessage);
        EntityJsonWriter.WriteKeyValues(writer, "tags", model.Tags);
        writer.WriteEndObject();

        writer.WriteStartObject("data");
        EntityJsonWriter.WriteKeyValues(writer, "params", model.Params);
        writer.WriteStartArray("metrics");
        foreach (var metric in model.Metrics)
        {
            EntityJsonWriter.WriteMetric(writer, metric.Metric, metric.RunId);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
