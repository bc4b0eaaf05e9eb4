namespace Platform.Operator.Crd;

/// <summary>Marks a property that the CRD schema lists as required.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SchemaRequiredAttribute : Attribute;
