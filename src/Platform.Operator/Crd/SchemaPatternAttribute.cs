namespace Platform.Operator.Crd;

/// <summary>Regular expression that the CRD schema enforces on a string property.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SchemaPatternAttribute(string pattern) : Attribute
{
    public string Pattern { get; } = pattern;
}
