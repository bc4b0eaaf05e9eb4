using System.Text;
using System.Text.Json;
using Platform.Tracking.Model;

namespace Platform.Tracking.Api;

/// <summary>
/// Reads the metric objects of one log-batch request, each in one pass over its properties. A key seen before is
/// matched on its UTF-8 bytes and reused. So a batch that repeats a few keys allocates and validates each key once.
/// </summary>
internal sealed class MetricItemReader
{
    // More distinct keys than this are still read correctly, only without reuse.
    private const int MaxCachedKeys = 64;

    private readonly List<(byte[] Utf8, string Key)> _keys = [];

    /// <summary>Reads <paramref name="item"/>, the metric at <paramref name="index"/>. Errors name it <c>metrics[index]</c>.</summary>
    public Metric Read(JsonElement item, int index)
    {
        // Field paths are built only on failure, because formatting them for every point costs more than the parsing.
        try
        {
            string? key = null;
            double? value = null;
            long? timestamp = null;
            long? step = null;
            string? modelId = null;
            string? datasetName = null;
            string? datasetDigest = null;
            foreach (var property in item.EnumerateObject())
            {
                var element = property.Value;
                if (property.NameEquals("key"u8))
                {
                    key = ReadKey(element);
                }
                else if (property.NameEquals("value"u8))
                {
                    value = FieldReader.ReadDouble(element, "value");
                }
                else if (property.NameEquals("timestamp"u8))
                {
                    timestamp = FieldReader.ReadInt64(element, "timestamp");
                }
                else if (property.NameEquals("step"u8))
                {
                    step = FieldReader.ReadInt64(element, "step");
                }
                else if (property.NameEquals("model_id"u8))
                {
                    modelId = MetricLinkFields.ValidateModelId(FieldReader.ReadString(element, "model_id"), "model_id");
                }
                else if (property.NameEquals("dataset_name"u8))
                {
                    datasetName = MetricLinkFields.ValidateDatasetName(FieldReader.ReadString(element, "dataset_name"), "dataset_name");
                }
                else if (property.NameEquals("dataset_digest"u8))
                {
                    datasetDigest = MetricLinkFields.ValidateDatasetDigest(FieldReader.ReadString(element, "dataset_digest"), "dataset_digest");
                }
            }

            return new Metric(
                key ?? throw FieldReader.Missing("key"),
                value ?? throw FieldReader.Missing("value"),
                timestamp ?? throw FieldReader.Missing("timestamp"),
                step ?? 0,
                modelId,
                datasetName,
                datasetDigest);
        }
        catch (TrackingException ex)
        {
            throw TrackingException.InvalidParameter($"Invalid metrics[{index}]: {ex.Message}");
        }
    }

    private string? ReadKey(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            foreach (var (utf8, cached) in _keys)
            {
                if (element.ValueEquals(utf8))
                {
                    return cached;
                }
            }
        }

        var key = FieldReader.ReadString(element, "key");
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        TrackingValidator.ValidateKey("Metric", key);
        if (_keys.Count < MaxCachedKeys)
        {
            _keys.Add((Encoding.UTF8.GetBytes(key), key));
        }

        return key;
    }
}
