using System.Net.Mail;

namespace Platform.Gateway.Admin;

/// <summary>Checks the email addresses that identify users.</summary>
internal static class EmailAddress
{
    /// <summary>Returns true for a plain address such as <c>ada@lab.example</c> (no display name, no spaces).</summary>
    public static bool IsValid(string? value) =>
        value is { Length: > 2 and <= 254 } &&
        !value.Any(char.IsWhiteSpace) &&
        MailAddress.TryCreate(value, out var parsed) &&
        parsed.Address == value;
}
