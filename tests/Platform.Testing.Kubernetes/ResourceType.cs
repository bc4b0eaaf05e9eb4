namespace Platform.Testing.Kubernetes;

/// <summary>One served resource: its group, version, names, scope and the columns of its Table view.</summary>
public sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    bool HasStatusSubresource)
{
    /// <summary>Short names that kubectl accepts, for example <c>ts</c>.</summary>
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Categories that kubectl expands, for example <c>all</c>.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Extra Table columns after Name, as a CRD's <c>additionalPrinterColumns</c> declares them.</summary>
    public IReadOnlyList<PrinterColumn> PrinterColumns { get; init; } = [PrinterColumn.Age];

    /// <summary>CEL rules from the CRD schema that this server evaluates on create and update.</summary>
    internal IReadOnlyList<ValidationRule> ValidationRules { get; init; } = [];

    /// <summary><c>v1</c> for the core group, otherwise <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Key that identifies the resource across groups and versions.</summary>
    public string Key => $"{Group}/{Version}/{Plural}";
}
