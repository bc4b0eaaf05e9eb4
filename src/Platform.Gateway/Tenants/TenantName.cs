using System.Text.RegularExpressions;

namespace Platform.Gateway.Tenants;

/// <summary>
/// Tenant name rules: a lowercase DNS label (RFC 1123), so the name works unchanged as a URL
/// segment, a folder name and a Kubernetes object name.
/// </summary>
public static partial class TenantName
{
    /// <summary>Maximum length of a DNS label.</summary>
    public const int MaxLength = 63;

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Returns true when <paramref name="name"/> is a valid tenant name, compared exactly (no case folding).</summary>
    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(name);

    /// <summary>Returns null when the name is valid, otherwise an error message that quotes it and states the rule.</summary>
    public static string? Validate(string? name) => IsValid(name)
        ? null
        : $"Invalid tenant name '{name}': use 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit.";
}
