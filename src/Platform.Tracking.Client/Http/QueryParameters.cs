using System.Globalization;
using System.Text;

namespace Platform.Tracking.Client;

/// <summary>Query string of a GET request. MLflow reads repeated fields as repeated keys (<c>?run_ids=a&amp;run_ids=b</c>).</summary>
internal sealed class QueryParameters
{
    private readonly List<KeyValuePair<string, string>> _items = [];

    public QueryParameters Add(string key, string? value)
    {
        if (value is not null)
        {
            _items.Add(new(key, value));
        }

        return this;
    }

    public QueryParameters Add(string key, long? value) =>
        Add(key, value?.ToString(CultureInfo.InvariantCulture));

    public QueryParameters AddEach(string key, IEnumerable<string>? values)
    {
        foreach (var value in values ?? [])
        {
            Add(key, value);
        }

        return this;
    }

    public override string ToString()
    {
        if (_items.Count == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        foreach (var (key, value) in _items)
        {
            builder.Append(builder.Length == 0 ? '?' : '&');
            builder.Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return builder.ToString();
    }
}
