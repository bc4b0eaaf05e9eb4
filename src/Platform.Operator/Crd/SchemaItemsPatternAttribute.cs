namespace Platform.Operator.Crd;

/// <summary>Regular expression that the CRD schema enforces on each string in a list property.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SchemaItemsPatternAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}
