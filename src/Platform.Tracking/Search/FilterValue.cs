namespace Platform.Tracking.Search;

/// <summary>The literal on the right side of a comparison: a quoted string, a number or a list of strings.</summary>
public sealed record FilterValue(string? Text, double? Number, IReadOnlyList<string>? List)
{
    public static FilterValue OfText(string text) => new(text, null, null);

    public static FilterValue OfNumber(double number) => new(null, number, null);

    public static FilterValue OfList(IReadOnlyList<string> list) => new(null, null, list);

    public override string ToString() =>
        Text is not null ? $"'{Text}'"
        : Number is not null ? Number.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : $"({string.Join(", ", List!.Select(item => $"'{item}'"))})";
}
