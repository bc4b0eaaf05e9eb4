namespace Platform.Cli.Commands;

/// <summary>
/// Checks a tenant name argument before any request, with the gateway's rule (a lowercase RFC 1123
/// DNS label), so 'ALICE' is reported as invalid instead of as a tenant that does not exist.
/// </summary>
internal static class TenantNameArgument
{
    /// <summary>Throws <see cref="CliException"/> naming the rule when <paramref name="name"/> is not a valid tenant name.</summary>
    public static void Validate(string name)
    {
        var valid = name.Length is > 0 and <= 63 &&
            name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') &&
            name[0] != '-' && name[^1] != '-';
        if (!valid)
        {
            throw new CliException($"Invalid tenant name '{name}': use 1-63 lowercase letters, digits or '-', starting and ending with a letter or digit.", ExitCodes.InvalidArguments);
        }
    }
}
