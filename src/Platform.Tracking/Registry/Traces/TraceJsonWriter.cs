using System.Text.Json;
using Platform.Tracking.Model;

namespace Platform.Tracking.Registry.Traces;

/// <summary>Writes TraceInfoV3 in proto3 JSON: maps as JSON objects, times as Timestamp and Duration strings.</summary>
internal static class TraceJsonWriter
{
    public static void WriteTraceInfo(Utf8JsonWriter writer, TraceInfo trace)
    {
        writer.WriteStartObject();
        writer.WriteString("trace_id", trace.TraceId);
        if (trace.ClientRequestId is not null)
        {
            writer.WriteString("client_request_id", trace.ClientRequestId);
        }

        writer.WriteStartObject("trace_location");
        writer.WriteString("type", "MLFLOW_EXPERIMENT");
        writer.WriteStartObject("mlflow_experiment");
        writer.WriteString("experiment_id", trace.ExperimentId);
        writer.WriteEndObject();
        writer.WriteEndObject();
        if (trace.RequestPreview is not null)
        {
            writer.WriteString("request_preview", trace.RequestPreview);
        }

        if (trace.ResponsePreview is not null)
        {
            writer.WriteString("response_preview", trace.ResponsePreview);
        }

        writer.WriteString("request_time", ProtoTime.FormatTimestamp(trace.RequestTime));
        if (trace.ExecutionDuration is { } duration)
        {
            writer.WriteString("execution_duration", ProtoTime.FormatDuration(duration));
        }

        writer.WriteString("state", trace.State);
        WriteMap(writer, "trace_metadata", trace.Metadata);
        writer.WriteStartArray("assessments");
        foreach (var assessment in trace.Assessments)
        {
            writer.WriteRawValue(assessment, skipInputValidation: true);
        }

        writer.WriteEndArray();
        WriteMap(writer, "tags", trace.Tags);
        writer.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyList<KeyValue> entries)
    {
        writer.WriteStartObject(name);
        foreach (var entry in entries)
        {
            writer.WriteString(entry.Key, entry.Value);
        }

        writer.WriteEndObject();
    }
}
