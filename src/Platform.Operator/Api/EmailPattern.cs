namespace Platform.Operator.Api;

/// <summary>The email pattern that the CRD enforces on owners and collaborators.</summary>
public static class EmailPattern
{
    /// <summary>A local part, an at sign and a dotted domain, as the gateway compares identities.</summary>
    public const string Value = @"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$";
}
