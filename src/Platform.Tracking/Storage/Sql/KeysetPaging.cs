using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Platform.Tracking.Api;

namespace Platform.Tracking.Storage.Sql;

/// <summary>
/// Keyset pagination: the page token stores the sort values of the last row, and the next page starts strictly
/// after them. Nullable keys sort last in both directions, as MLflow does, through an extra "is null" key.
/// </summary>
internal sealed class KeysetPaging
{
    private readonly List<SortKey> _keys = [];
    private readonly StringBuilder _fingerprint = new();

    public IReadOnlyList<SortKey> Keys => _keys;

    /// <summary>Adds a sort key. <paramref name="identity"/> names what is sorted, so a token cannot be reused with another order.</summary>
    public void Add(SortKey key, string identity)
    {
        if (key.Nullable)
        {
            _keys.Add(new SortKey($"(CASE WHEN {key.Expression} IS NULL THEN 1 ELSE 0 END)", true, SortValueType.Integer, false));
        }

        _keys.Add(key);
        _fingerprint.Append(identity).Append(key.Ascending ? " ASC;" : " DESC;");
    }

    public string OrderBySql() =>
        string.Join(", ", _keys.Select(key => key.Expression + (key.Ascending ? " ASC" : " DESC")));

    public string SelectSql() => string.Join(", ", _keys.Select(key => key.Expression));

    /// <summary>Returns the SQL condition for rows after the token's position, binding its values to <paramref name="command"/>.</summary>
    public string AfterTokenSql(DbCommand command, string token)
    {
        var values = Decode(token);
        var alternatives = new List<string>();
        for (var i = 0; i < _keys.Count; i++)
        {
            var terms = new List<string>();
            for (var j = 0; j < i; j++)
            {
                terms.Add(values[j] is null ? $"{_keys[j].Expression} IS NULL" : $"{_keys[j].Expression} = {command.Bind(values[j])}");
            }

            if (values[i] is null)
            {
                // Nothing sorts after NULL within the same "is null" group.
                continue;
            }

            terms.Add($"{_keys[i].Expression} {(_keys[i].Ascending ? ">" : "<")} {command.Bind(values[i])}");
            alternatives.Add("(" + string.Join(" AND ", terms) + ")");
        }

        return alternatives.Count == 0 ? "1 = 0" : "(" + string.Join(" OR ", alternatives) + ")";
    }

    /// <summary>Reads the sort values of the current row, which the query selected starting at <paramref name="offset"/>.</summary>
    public string CreateToken(DbDataReader reader, int offset)
    {
        var values = new string?[_keys.Count];
        for (var i = 0; i < _keys.Count; i++)
        {
            var ordinal = offset + i;
            values[i] = reader.IsDBNull(ordinal) ? null : _keys[i].Type switch
            {
                SortValueType.Integer => reader.GetInt64(ordinal).ToString(CultureInfo.InvariantCulture),
                SortValueType.Real => reader.GetDouble(ordinal).ToString("R", CultureInfo.InvariantCulture),
                _ => reader.GetString(ordinal),
            };
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(new PageTokenBody(Fingerprint(), values), TrackingJsonContext.Default.PageTokenBody);
        return Convert.ToBase64String(json).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private object?[] Decode(string token)
    {
        PageTokenBody? body;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            body = JsonSerializer.Deserialize(Convert.FromBase64String(base64), TrackingJsonContext.Default.PageTokenBody);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw TrackingException.InvalidParameter($"Invalid page_token '{token}': it is not a token this server issued. Pass next_page_token unchanged.");
        }

        if (body is null || body.Fingerprint != Fingerprint() || body.Values.Length != _keys.Count)
        {
            throw TrackingException.InvalidParameter(
                $"Invalid page_token '{token}': it belongs to a search with a different order_by. Repeat the search with the same order_by.");
        }

        var values = new object?[_keys.Count];
        for (var i = 0; i < _keys.Count; i++)
        {
            var text = body.Values[i];
            values[i] = text is null ? null : _keys[i].Type switch
            {
                SortValueType.Integer => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? l : throw BadValue(token),
                SortValueType.Real => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : throw BadValue(token),
                _ => text,
            };
        }

        return values;
    }

    private static TrackingException BadValue(string token) =>
        TrackingException.InvalidParameter($"Invalid page_token '{token}': a stored value is corrupt. Pass next_page_token unchanged.");

    private string Fingerprint()
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(_fingerprint.ToString()));
        return Convert.ToHexString(hash, 0, 8);
    }
}
