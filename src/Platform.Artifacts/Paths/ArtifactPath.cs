using System.Globalization;
using System.Text;

namespace Platform.Artifacts;

/// <summary>
/// A validated artifact key relative to a store's root (the tenant's prefix), with '/' between folders.
/// Parsing rejects every form that could address something outside the root, so a store only has to
/// join a parsed path under its prefix.
/// </summary>
public sealed record ArtifactPath
{
    /// <summary>Maximum UTF-8 length of a path, because GCS object names are limited to 1024 bytes.</summary>
    public const int MaxUtf8Length = 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private ArtifactPath(string value)
    {
        Value = value;
    }

    /// <summary>The store root itself, which only folder operations accept.</summary>
    public static ArtifactPath Root { get; } = new(string.Empty);

    /// <summary>Relative key such as <c>1/0a1b/artifacts/model.pkl</c>, or empty for <see cref="Root"/>.</summary>
    public string Value { get; }

    /// <summary>Whether this is the store root.</summary>
    public bool IsRoot => Value.Length == 0;

    /// <summary>Last segment (file or folder name), or empty for <see cref="Root"/>.</summary>
    public string Name => Value[(Value.LastIndexOf('/') + 1)..];

    /// <summary>Segments between '/' separators, or none for <see cref="Root"/>.</summary>
    public IReadOnlyList<string> Segments => IsRoot ? [] : Value.Split('/');

    /// <summary>
    /// Parses the path of a file. Throws an INVALID_PARAMETER_VALUE <see cref="ArtifactException"/> naming
    /// <paramref name="parameterName"/> when the path is empty or unsafe.
    /// </summary>
    public static ArtifactPath ParseFile(string? value, string parameterName = "path")
    {
        if (string.IsNullOrEmpty(value))
        {
            throw ArtifactException.InvalidParameter(
                $"Parameter '{parameterName}' is missing. Send the artifact path relative to the artifact root, for example '1/0a1b2c/artifacts/model.pkl'.");
        }

        return new ArtifactPath(Validate(value, parameterName));
    }

    /// <summary>
    /// Parses the path of a folder: null or empty means <see cref="Root"/> and one trailing '/' is allowed.
    /// Throws an INVALID_PARAMETER_VALUE <see cref="ArtifactException"/> when the path is unsafe.
    /// </summary>
    public static ArtifactPath ParseFolder(string? value, string parameterName = "path")
    {
        if (string.IsNullOrEmpty(value))
        {
            return Root;
        }

        var trimmed = value.EndsWith('/') && value.Length > 1 ? value[..^1] : value;
        return new ArtifactPath(Validate(trimmed, parameterName));
    }

    /// <summary>Returns the path of <paramref name="name"/> inside this folder, validating the name as one segment.</summary>
    public ArtifactPath Append(string name)
    {
        var segment = Validate(name, "name");
        if (segment.Contains('/', StringComparison.Ordinal))
        {
            throw ArtifactException.InvalidParameter($"Name '{Printable(name)}' contains '/'. Pass a single file or folder name.");
        }

        return new ArtifactPath(IsRoot ? segment : $"{Value}/{segment}");
    }

    /// <summary>Returns this path relative to <paramref name="folder"/>, which must contain it.</summary>
    public string RelativeTo(ArtifactPath folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (folder.IsRoot)
        {
            return Value;
        }

        if (!Value.StartsWith(folder.Value + "/", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Path '{Value}' is not inside folder '{folder.Value}'.", nameof(folder));
        }

        return Value[(folder.Value.Length + 1)..];
    }

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Returns <paramref name="value"/> with control characters shown as <c>\uXXXX</c>, safe for messages and logs.</summary>
    public static string Printable(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (char.IsControl(c) || char.IsSurrogate(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Validate(string value, string parameterName)
    {
        var printable = Printable(value);
        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException)
        {
            throw Invalid(parameterName, printable, "contains an unpaired UTF-16 surrogate, which has no UTF-8 form", "Send the path as valid Unicode text");
        }

        if (byteCount > MaxUtf8Length)
        {
            throw Invalid(parameterName, printable, $"is {byteCount} bytes long in UTF-8 but the maximum is {MaxUtf8Length} bytes", "Use a shorter path");
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
            {
                throw Invalid(parameterName, printable, $"contains the control character U+{(int)c:X4} at position {i}", "Remove control characters from the path");
            }

            if (c == '\\')
            {
                throw Invalid(parameterName, printable, $"contains a backslash at position {i}", "Separate folders with '/'");
            }

            if (c == '%' && EncodedUnsafeCharacter(value, i) is { } encoded)
            {
                throw Invalid(parameterName, printable,
                    $"contains the percent-encoded sequence '{encoded}' at position {i}, which would decode to a separator, dot, percent sign or control character",
                    "Send the path decoded exactly once");
            }
        }

        if (value[0] == '/')
        {
            throw Invalid(parameterName, printable, "is absolute", "Send a path relative to the artifact root, for example '1/0a1b2c/artifacts/model.pkl'");
        }

        if (value.Length >= 2 && char.IsAsciiLetter(value[0]) && value[1] == ':')
        {
            throw Invalid(parameterName, printable, "starts with a drive letter", "Send a path relative to the artifact root");
        }

        var segments = value.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var problem = segments[i] switch
            {
                "" => "has an empty segment ('//' or a trailing '/')",
                "." => "has a '.' segment",
                ".." => "has a '..' segment, which would leave the artifact root",
                _ => null,
            };
            if (problem is not null)
            {
                throw Invalid(parameterName, printable, $"{problem} at segment {i + 1}", "Send a normalized relative path without '.', '..' or empty segments");
            }
        }

        return value;
    }

    // A '%' followed by hex that decodes to '/', '\', '.', '%' or a control character is rejected, so
    // a later decoding step (a proxy, a storage emulator) cannot turn the key into a traversal.
    // Other sequences such as '%20' stay literal characters of the key.
    private static string? EncodedUnsafeCharacter(string value, int index)
    {
        if (index + 2 < value.Length &&
            byte.TryParse(value.AsSpan(index + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var decoded) &&
            (decoded is (byte)'/' or (byte)'\\' or (byte)'.' or (byte)'%' or 0x7F || decoded < 0x20))
        {
            return value.Substring(index, 3);
        }

        // IIS-style '%uXXXX' encoding is rejected outright: nothing legitimate sends it.
        if (index + 5 < value.Length && (value[index + 1] is 'u' or 'U') &&
            ushort.TryParse(value.AsSpan(index + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _))
        {
            return value.Substring(index, 6);
        }

        return null;
    }

    private static ArtifactException Invalid(string parameterName, string printable, string problem, string fix) =>
        ArtifactException.InvalidParameter($"Invalid value '{printable}' for parameter '{parameterName}': the path {problem}. {fix}.");
}
