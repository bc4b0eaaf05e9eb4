using Platform.Models.Ffm.Data;

namespace Platform.Workers.Inference.Api;

/// <summary>Turns request bodies into rows; raises <see cref="FormatException"/> for bad input.</summary>
internal static class PredictionRows
{
    private const string Source = "request body";

    // Requests are small, so one thread parses them (see FfmTextParser.Parse).
    private static readonly FfmParseOptions SingleThread = new() { DegreeOfParallelism = 1 };

    /// <summary>
    /// Parses libffm text (UTF-8), one row per line. The label is optional: a line whose first token
    /// is a <c>field:feature:value</c> gets the placeholder label 0.
    /// </summary>
    public static FfmProblem FromText(ReadOnlyMemory<byte> body)
    {
        if (body.Span.StartsWith("\uFEFF"u8))
        {
            body = body[3..];
        }

        var missingLabels = CountLinesWithoutLabel(body.Span);
        if (missingLabels == 0)
        {
            return FfmTextParser.Parse(body, Source, SingleThread);
        }

        // Each line without a label gets the 2 bytes "0 " in front of it.
        var labeled = new byte[body.Length + (2 * missingLabels)];
        var written = 0;
        foreach (var range in body.Span.Split((byte)'\n'))
        {
            var line = body.Span[range];
            if (StartsWithNode(line))
            {
                labeled[written++] = (byte)'0';
                labeled[written++] = (byte)' ';
            }

            line.CopyTo(labeled.AsSpan(written));
            written += line.Length;
            if (range.End.GetOffset(body.Length) < body.Length)
            {
                labeled[written++] = (byte)'\n';
            }
        }

        return FfmTextParser.Parse(labeled.AsMemory(0, written), Source, SingleThread);
    }

    /// <summary>Checks and converts JSON instances.</summary>
    public static FfmProblem FromJson(PredictRequest request)
    {
        if (request.Instances is null || request.Instances.Count == 0)
        {
            throw new FormatException("The request has no instances; send {\"instances\": [[{\"field\": 0, \"feature\": 12, \"value\": 1.0}, ...]]}.");
        }

        var rowCount = request.Instances.Count;
        var offsets = new long[rowCount + 1];
        var nodeCount = 0;
        for (var i = 0; i < rowCount; i++)
        {
            var instance = request.Instances[i] ?? throw new FormatException($"Instance {i} is null; send a list of features, possibly empty.");
            offsets[i] = nodeCount;
            nodeCount += instance.Count;
        }

        offsets[rowCount] = nodeCount;
        var nodes = new FfmNode[nodeCount];
        var maxField = -1;
        var maxFeature = -1;
        for (var i = 0; i < rowCount; i++)
        {
            var instance = request.Instances[i];
            var start = (int)offsets[i];
            for (var j = 0; j < instance.Count; j++)
            {
                var feature = instance[j] ?? throw new FormatException($"Instance {i}, feature {j} is null.");
                if (feature.Field < 0 || feature.Feature < 0)
                {
                    throw new FormatException($"Instance {i}, feature {j}: field {feature.Field} and feature {feature.Feature} must be non-negative ids.");
                }

                if (!float.IsFinite(feature.Value))
                {
                    throw new FormatException($"Instance {i}, feature {j}: the value {feature.Value} is not finite.");
                }

                nodes[start + j] = new FfmNode(feature.Field, feature.Feature, feature.Value);
                maxField = Math.Max(maxField, feature.Field);
                maxFeature = Math.Max(maxFeature, feature.Feature);
            }
        }

        // Labels and scales are unused at prediction: FfmModel.Predict computes each row's normalisation itself.
        var labels = new float[rowCount];
        var scales = new float[rowCount];
        Array.Fill(scales, 1f);
        return new FfmProblem(labels, scales, offsets, nodes, maxField + 1, maxFeature + 1);
    }

    private static int CountLinesWithoutLabel(ReadOnlySpan<byte> body)
    {
        var count = 0;
        foreach (var range in body.Split((byte)'\n'))
        {
            if (StartsWithNode(body[range]))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Whether the first token of a line (split at spaces and tabs) contains ':', that is, the line has no label.</summary>
    private static bool StartsWithNode(ReadOnlySpan<byte> line)
    {
        var token = line.TrimStart(" \t"u8);
        var end = token.IndexOfAny((byte)' ', (byte)'\t');
        return (end < 0 ? token : token[..end]).Contains((byte)':');
    }
}
