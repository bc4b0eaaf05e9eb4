using System.Net.Mail;

namespace Platform.Gateway.Admin;

/// <summary>Checks the email addresses that identify users.</summary>
internal static class EmailAddress
{
    /// <summary>Maximum length of an address, the forward-path limit of RFC 5321 section 4.5.3.1.3 less its angle brackets.</summary>
    public const int MaxLength = 254;

    /// <summary>
    /// Returns true for a plain address such as <c>ada@lab.example</c>: no display name, no spaces,
    /// and a domain of at least two non-empty labels (so <c>a@b</c> and <c>a@x.com.</c> are invalid).
    /// Non-ASCII characters, as in <c>josé@x.com</c>, are allowed.
    /// </summary>
    public static bool IsValid(string? value) =>
        value is { Length: > 2 and <= MaxLength } &&
        !value.Any(char.IsWhiteSpace) &&
        MailAddress.TryCreate(value, out var parsed) &&
        parsed.Address == value &&
        HasDottedDomain(parsed.Host);

    private static bool HasDottedDomain(string domain)
    {
        var labels = domain.Split('.');
        return labels.Length >= 2 && labels.All(label => label.Length > 0);
    }
}
