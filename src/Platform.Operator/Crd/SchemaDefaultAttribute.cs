namespace Platform.Operator.Crd;

/// <summary>Default value that the API server fills in when a property is absent.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SchemaDefaultAttribute(object value) : Attribute
{
    public object Value { get; } = value;
}
