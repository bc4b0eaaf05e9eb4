namespace Platform.Tracking.Client;

/// <summary>Checks and joins relative artifact paths, which use '/' and never leave the run's artifact root.</summary>
internal static class ArtifactPaths
{
    /// <summary>Returns the path without leading or trailing '/', or "" for the root. Rejects '..', '.', empty segments and backslashes.</summary>
    public static string Normalize(string? path, string parameterName)
    {
        if (string.IsNullOrEmpty(path))
        {
            return string.Empty;
        }

        var trimmed = path.Trim('/');
        if (trimmed.Length == 0)
        {
            return string.Empty;
        }

        foreach (var segment in trimmed.Split('/'))
        {
            if (segment.Length == 0 || segment is "." or ".." || segment.Contains('\\', StringComparison.Ordinal) || segment.Any(char.IsControl))
            {
                throw new ArgumentException(
                    $"Artifact path '{path}' is invalid: use relative '/'-separated names without '.', '..', empty segments, backslashes or control characters.",
                    parameterName);
            }
        }

        return trimmed;
    }

    public static string Join(string left, string right)
    {
        if (left.Length == 0)
        {
            return right;
        }

        return right.Length == 0 ? left : $"{left}/{right}";
    }

    /// <summary>Escapes each segment for use in a URL path.</summary>
    public static string EscapeSegments(string path) =>
        string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
