namespace Platform.Artifacts.Gcs;

/// <summary>A bucket and an object-name prefix parsed from <c>gs://bucket/prefix</c>.</summary>
public sealed record GcsLocation(string Bucket, ArtifactPath Prefix)
{
    /// <summary>URI scheme of GCS destinations.</summary>
    public const string Scheme = "gs";

    /// <summary>
    /// Parses <c>gs://bucket</c> or <c>gs://bucket/prefix/path</c>. Throws <see cref="ArgumentException"/>
    /// naming the bad part when the bucket name or the prefix is invalid.
    /// </summary>
    public static GcsLocation Parse(string destination)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        const string start = Scheme + "://";
        if (!destination.StartsWith(start, StringComparison.Ordinal))
        {
            throw new ArgumentException($"GCS destination '{destination}' must start with '{start}', for example 'gs://lab-artifacts/tenants/alice'.", nameof(destination));
        }

        var rest = destination[start.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefixText = slash < 0 ? string.Empty : rest[(slash + 1)..];
        ValidateBucketName(bucket, destination);

        ArtifactPath prefix;
        try
        {
            prefix = ArtifactPath.ParseFolder(prefixText, "destination prefix");
        }
        catch (ArtifactException ex)
        {
            throw new ArgumentException($"GCS destination '{destination}' has an invalid prefix: {ex.Message}", nameof(destination), ex);
        }

        return new GcsLocation(bucket, prefix);
    }

    /// <summary>Returns the object name of <paramref name="path"/> under the prefix.</summary>
    public string ObjectName(ArtifactPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Prefix.IsRoot)
        {
            return path.Value;
        }

        return path.IsRoot ? Prefix.Value : $"{Prefix.Value}/{path.Value}";
    }

    /// <summary>Returns the listing prefix (ending in '/', or empty for the bucket root) of <paramref name="folder"/>.</summary>
    public string FolderPrefix(ArtifactPath folder)
    {
        var name = ObjectName(folder);
        return name.Length == 0 ? string.Empty : name + "/";
    }

    /// <inheritdoc />
    public override string ToString() => Prefix.IsRoot ? $"gs://{Bucket}" : $"gs://{Bucket}/{Prefix.Value}";

    // Bucket naming rules from the GCS documentation: 3-63 characters (up to 222 with dots), lowercase
    // letters, digits, '-', '_' and '.', starting and ending with a letter or digit.
    private static void ValidateBucketName(string bucket, string destination)
    {
        var maxLength = bucket.Contains('.', StringComparison.Ordinal) ? 222 : 63;
        var valid = bucket.Length >= 3 && bucket.Length <= maxLength &&
            bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.') &&
            char.IsAsciiLetterOrDigit(bucket[0]) && char.IsAsciiLetterOrDigit(bucket[^1]);
        if (!valid)
        {
            throw new ArgumentException(
                $"GCS destination '{destination}' has an invalid bucket name '{bucket}'. Bucket names have 3 to 63 characters: lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit.",
                nameof(destination));
        }
    }
}
