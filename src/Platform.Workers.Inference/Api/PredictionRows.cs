using System.Text;
using Platform.Models.Ffm.Data;

namespace Platform.Workers.Inference.Api;

/// <summary>Turns request bodies into rows; raises <see cref="FormatException"/> for bad input.</summary>
internal static class PredictionRows
{
    /// <summary>
    /// Parses libffm text, one row per line. The label is optional: a line whose first token is a
    /// <c>field:feature:value</c> gets the placeholder label 0.
    /// </summary>
    public static List<FfmNode[]> FromText(string body)
    {
        var text = new StringBuilder(body.Length + 64);
        foreach (var line in body.Split('\n'))
        {
            var trimmed = line.TrimStart(' ', '\t');
            var firstToken = trimmed.Split([' ', '\t'], 2)[0];
            text.Append(firstToken.Contains(':', StringComparison.Ordinal) ? "0 " : string.Empty).Append(line).Append('\n');
        }

        var problem = FfmTextParser.Parse(text.ToString(), "request body");
        var rows = new List<FfmNode[]>(problem.RowCount);
        for (var i = 0; i < problem.RowCount; i++)
        {
            rows.Add(problem.Row(i).ToArray());
        }

        return rows;
    }

    /// <summary>Checks and converts JSON instances.</summary>
    public static List<FfmNode[]> FromJson(PredictRequest request)
    {
        if (request.Instances is null || request.Instances.Count == 0)
        {
            throw new FormatException("The request has no instances; send {\"instances\": [[{\"field\": 0, \"feature\": 12, \"value\": 1.0}, ...]]}.");
        }

        var rows = new List<FfmNode[]>(request.Instances.Count);
        for (var i = 0; i < request.Instances.Count; i++)
        {
            var instance = request.Instances[i] ?? throw new FormatException($"Instance {i} is null; send a list of features, possibly empty.");
            var row = new FfmNode[instance.Count];
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

                row[j] = new FfmNode(feature.Field, feature.Feature, feature.Value);
            }

            rows.Add(row);
        }

        return rows;
    }
}
