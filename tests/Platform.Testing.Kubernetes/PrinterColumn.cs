namespace Platform.Testing.Kubernetes;

/// <summary>A Table column: a name, a type (<c>string</c>, <c>date</c>, ...) and the JSONPath that fills it.</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, int Priority = 0, string Description = "")
{
    /// <summary>The Age column that every resource shows.</summary>
    public static PrinterColumn Age { get; } = new("Age", "date", ".metadata.creationTimestamp");
}
