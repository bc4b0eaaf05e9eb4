namespace Platform.Tracking.Client;

/// <summary>
/// Parsed <c>models:/</c> URI: <c>models:/&lt;name&gt;/&lt;version&gt;</c>, <c>models:/&lt;name&gt;@&lt;alias&gt;</c>,
/// <c>models:/&lt;name&gt;/&lt;stage&gt;</c> or <c>models:/&lt;name&gt;/latest</c>. Exactly one of
/// <see cref="Version"/>, <see cref="Alias"/> and <see cref="Stage"/> is set.
/// </summary>
public sealed record ModelUri(string Name, string? Version, string? Alias, string? Stage)
{
    private const string Scheme = "models:/";

    public static ModelUri Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.StartsWith(Scheme, StringComparison.Ordinal) || uri.Length == Scheme.Length)
        {
            throw Invalid(uri);
        }

        var body = uri[Scheme.Length..].TrimEnd('/');
        var at = body.LastIndexOf('@');
        if (at > 0 && !body[(at + 1)..].Contains('/', StringComparison.Ordinal))
        {
            var alias = body[(at + 1)..];
            return alias.Length == 0 ? throw Invalid(uri) : new ModelUri(body[..at], null, alias, null);
        }

        var slash = body.LastIndexOf('/');
        if (slash <= 0 || slash == body.Length - 1)
        {
            throw Invalid(uri);
        }

        var name = body[..slash];
        var suffix = body[(slash + 1)..];
        return suffix.All(char.IsAsciiDigit) ? new ModelUri(name, suffix, null, null) : new ModelUri(name, null, null, suffix);
    }

    public override string ToString()
    {
        if (Version is not null)
        {
            return $"{Scheme}{Name}/{Version}";
        }

        return Alias is not null ? $"{Scheme}{Name}@{Alias}" : $"{Scheme}{Name}/{Stage}";
    }

    private static FormatException Invalid(string uri) =>
        new($"Model URI '{uri}' is invalid; use models:/<name>/<version>, models:/<name>@<alias>, models:/<name>/<stage> or models:/<name>/latest.");
}
