using System.Text.Json;
using Platform.Tracking.Model;

namespace Platform.Tracking.Api;

/// <summary>Writes entities in MLflow's proto JSON: snake_case names, int64 as numbers, NaN and infinities as strings.</summary>
internal static class EntityJsonWriter
{
    public static void WriteExperiment(Utf8JsonWriter writer, Experiment experiment)
    {
        writer.WriteStartObject();
        writer.WriteString("experiment_id", experiment.ExperimentId);
        writer.WriteString("name", experiment.Name);
        writer.WriteString("artifact_location", experiment.ArtifactLocation);
        writer.WriteString("lifecycle_stage", experiment.LifecycleStage);
        writer.WriteNumber("last_update_time", experiment.LastUpdateTime);
        writer.WriteNumber("creation_time", experiment.CreationTime);
        WriteKeyValues(writer, "tags", experiment.Tags);
        writer.WriteEndObject();
    }

    public static void WriteRun(Utf8JsonWriter writer, Run run)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("info");
        WriteRunInfo(writer, run.Info);

        writer.WriteStartObject("data");
        writer.WriteStartArray("metrics");
        foreach (var metric in run.Metrics)
        {
            WriteMetric(writer, metric, null);
        }

        writer.WriteEndArray();
        WriteKeyValues(writer, "params", run.Params);
        WriteKeyValues(writer, "tags", run.Tags);
        writer.WriteEndObject();

        writer.WriteStartObject("inputs");
        writer.WriteStartArray("dataset_inputs");
        foreach (var input in run.Inputs)
        {
            writer.WriteStartObject();
            WriteKeyValues(writer, "tags", input.Tags);
            writer.WriteStartObject("dataset");
            writer.WriteString("name", input.Dataset.Name);
            writer.WriteString("digest", input.Dataset.Digest);
            writer.WriteString("source_type", input.Dataset.SourceType);
            writer.WriteString("source", input.Dataset.Source);
            if (input.Dataset.Schema is not null)
            {
                writer.WriteString("schema", input.Dataset.Schema);
            }

            if (input.Dataset.Profile is not null)
            {
                writer.WriteString("profile", input.Dataset.Profile);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("model_inputs");
        foreach (var input in run.ModelInputs)
        {
            writer.WriteStartObject();
            writer.WriteString("model_id", input.ModelId);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();

        writer.WriteStartObject("outputs");
        writer.WriteStartArray("model_outputs");
        foreach (var output in run.ModelOutputs)
        {
            writer.WriteStartObject();
            writer.WriteString("model_id", output.ModelId);
            writer.WriteNumber("step", output.Step);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    public static void WriteRunInfo(Utf8JsonWriter writer, RunInfo info)
    {
        writer.WriteStartObject();
        writer.WriteString("run_id", info.RunId);
        writer.WriteString("run_uuid", info.RunId);
        writer.WriteString("run_name", info.RunName);
        writer.WriteString("experiment_id", info.ExperimentId);
        writer.WriteString("user_id", info.UserId);
        writer.WriteString("status", info.Status);
        writer.WriteNumber("start_time", info.StartTime);
        if (info.EndTime is { } endTime)
        {
            writer.WriteNumber("end_time", endTime);
        }

        writer.WriteString("artifact_uri", info.ArtifactUri);
        writer.WriteString("lifecycle_stage", info.LifecycleStage);
        writer.WriteEndObject();
    }

    /// <summary>Writes one metric point. Only get-history-bulk-interval passes <paramref name="runId"/>.</summary>
    public static void WriteMetric(Utf8JsonWriter writer, Metric metric, string? runId)
    {
        writer.WriteStartObject();
        writer.WriteString("key", metric.Key);
        writer.WritePropertyName("value");
        WriteDouble(writer, metric.Value);
        writer.WriteNumber("timestamp", metric.Timestamp);
        writer.WriteNumber("step", metric.Step);
        if (metric.ModelId is not null)
        {
            writer.WriteString("model_id", metric.ModelId);
        }

        if (metric.DatasetName is not null)
        {
            writer.WriteString("dataset_name", metric.DatasetName);
        }

        if (metric.DatasetDigest is not null)
        {
            writer.WriteString("dataset_digest", metric.DatasetDigest);
        }

        if (runId is not null)
        {
            writer.WriteString("run_id", runId);
        }

        writer.WriteEndObject();
    }

    public static void WriteKeyValues(Utf8JsonWriter writer, string name, IReadOnlyList<KeyValue> entries)
    {
        writer.WriteStartArray(name);
        foreach (var entry in entries)
        {
            writer.WriteStartObject();
            writer.WriteString("key", entry.Key);
            writer.WriteString("value", entry.Value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Writes a double as a JSON number, or as "NaN", "Infinity" or "-Infinity" as proto JSON does.</summary>
    public static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsNaN(value))
        {
            writer.WriteStringValue("NaN");
        }
        else if (double.IsPositiveInfinity(value))
        {
            writer.WriteStringValue("Infinity");
        }
        else if (double.IsNegativeInfinity(value))
        {
            writer.WriteStringValue("-Infinity");
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }
}
