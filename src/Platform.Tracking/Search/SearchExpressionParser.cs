using System.Globalization;
using Platform.Tracking.Api;

namespace Platform.Tracking.Search;

/// <summary>
/// Parses MLflow's search filter grammar (comparisons joined by AND) and order_by entries into clauses.
/// Which identifiers and comparators a search accepts is checked afterwards by <see cref="RunSearchRules"/>
/// and <see cref="ExperimentSearchRules"/>.
/// </summary>
internal sealed class SearchExpressionParser
{
    private readonly string _text;
    private readonly bool _traceIdentifiers;
    private int _position;

    private SearchExpressionParser(string text, bool traceIdentifiers)
    {
        _text = text;
        _traceIdentifiers = traceIdentifiers;
    }

    /// <summary>
    /// Parses a filter such as <c>metrics.loss &lt; 0.5 AND tags."user-name" = 'alice'</c>. Empty text gives no clauses.
    /// With <paramref name="traceIdentifiers"/>, MLflow 3's trace search prefixes are accepted too: <c>trace.</c> names
    /// an attribute, and <c>metadata.</c> or <c>request_metadata.</c> names request metadata.
    /// </summary>
    public static IReadOnlyList<FilterClause> ParseFilter(string? filter, bool traceIdentifiers = false)
    {
        if (string.IsNullOrWhiteSpace(filter))
        {
            return [];
        }

        var parser = new SearchExpressionParser(filter, traceIdentifiers);
        var clauses = new List<FilterClause>();
        while (true)
        {
            clauses.Add(parser.ReadClause());
            parser.SkipWhitespace();
            if (parser.AtEnd)
            {
                return clauses;
            }

            var word = parser.ReadWord();
            if (!word.Equals("AND", StringComparison.OrdinalIgnoreCase))
            {
                throw parser.Invalid(word.Equals("OR", StringComparison.OrdinalIgnoreCase)
                    ? "only AND is supported between comparisons, not OR"
                    : $"expected AND after a comparison but found '{word}'");
            }
        }
    }

    /// <summary>Parses one order_by entry such as <c>metrics.loss DESC</c> or <c>attributes.start_time</c>.</summary>
    public static OrderByClause ParseOrderBy(string orderBy) => ParseOrderBy(orderBy, traceIdentifiers: false);

    /// <summary>Parses one order_by entry; see <see cref="ParseFilter"/> for <paramref name="traceIdentifiers"/>.</summary>
    public static OrderByClause ParseOrderBy(string orderBy, bool traceIdentifiers)
    {
        var parser = new SearchExpressionParser(orderBy, traceIdentifiers);
        parser.SkipWhitespace();
        if (parser.AtEnd)
        {
            throw TrackingException.InvalidParameter("Invalid order_by clause '': it is empty. Use '<identifier> [ASC|DESC]'.");
        }

        var identifier = parser.ReadIdentifier();
        parser.SkipWhitespace();
        var ascending = true;
        if (!parser.AtEnd)
        {
            var direction = parser.ReadWord();
            if (direction.Equals("DESC", StringComparison.OrdinalIgnoreCase))
            {
                ascending = false;
            }
            else if (!direction.Equals("ASC", StringComparison.OrdinalIgnoreCase))
            {
                throw TrackingException.InvalidParameter(
                    $"Invalid order_by clause '{orderBy}': expected ASC or DESC after the identifier but found '{direction}'.");
            }

            parser.SkipWhitespace();
            if (!parser.AtEnd)
            {
                throw TrackingException.InvalidParameter(
                    $"Invalid order_by clause '{orderBy}': unexpected text '{orderBy[parser._position..]}' after the direction.");
            }
        }

        return new OrderByClause(identifier, ascending);
    }

    private bool AtEnd => _position >= _text.Length;

    private char Current => _text[_position];

    private FilterClause ReadClause()
    {
        SkipWhitespace();
        if (AtEnd)
        {
            throw Invalid("a comparison is missing");
        }

        if (Current == '(')
        {
            throw Invalid("parentheses around comparisons are not supported");
        }

        var identifier = ReadIdentifier();
        var comparator = ReadComparator();
        var value = ReadValue();
        return new FilterClause(identifier, comparator, value);
    }

    private Identifier ReadIdentifier()
    {
        SkipWhitespace();
        string first;
        var firstQuoted = false;
        if (!AtEnd && Current is '`' or '"')
        {
            first = ReadQuoted(Current);
            firstQuoted = true;
        }
        else
        {
            first = ReadWhile(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        }

        if (first.Length == 0)
        {
            throw Invalid("expected an identifier such as metrics.loss, params.lr, tags.\"name\" or attributes.status");
        }

        if (AtEnd || Current != '.')
        {
            // A bare key names an attribute, as in MLflow (for example "status = 'FINISHED'").
            return new Identifier(EntityKind.Attribute, first);
        }

        _position++;
        var kind = ParseKind(first, firstQuoted);
        string key;
        if (!AtEnd && Current is '`' or '"')
        {
            key = ReadQuoted(Current);
        }
        else
        {
            key = ReadWhile(c => !char.IsWhiteSpace(c) && c is not ('=' or '!' or '<' or '>' or '(' or ')' or '\'' or ','));
        }

        if (key.Length == 0)
        {
            throw Invalid($"the key after '{first}.' is missing");
        }

        return new Identifier(kind, key);
    }

    private EntityKind ParseKind(string type, bool quoted) => type.ToLowerInvariant() switch
    {
        "metrics" or "metric" => EntityKind.Metric,
        "params" or "param" or "parameter" or "parameters" => EntityKind.Param,
        "tags" or "tag" => EntityKind.Tag,
        "attributes" or "attribute" or "attr" or "run" => EntityKind.Attribute,
        "datasets" or "dataset" => EntityKind.Dataset,
        "trace" when _traceIdentifiers => EntityKind.Attribute,
        "metadata" or "request_metadata" when _traceIdentifiers => EntityKind.Metadata,
        _ when _traceIdentifiers => throw Invalid(
            $"invalid entity type '{(quoted ? "`" + type + "`" : type)}'; use trace, attributes, tags or metadata"),
        _ => throw Invalid(
            $"invalid entity type '{(quoted ? "`" + type + "`" : type)}'; use metrics, params, tags, attributes or datasets"),
    };

    private string ReadComparator()
    {
        SkipWhitespace();
        if (AtEnd)
        {
            throw Invalid("a comparator is missing at the end");
        }

        var symbol = ReadWhile(c => c is '=' or '!' or '<' or '>');
        if (symbol.Length > 0)
        {
            return symbol is "=" or "!=" or "<" or "<=" or ">" or ">="
                ? symbol
                : throw Invalid($"invalid comparator '{symbol}'");
        }

        var word = ReadWord().ToUpperInvariant();
        if (word == "NOT")
        {
            SkipWhitespace();
            var next = ReadWord().ToUpperInvariant();
            return next == "IN" ? "NOT IN" : throw Invalid($"expected IN after NOT but found '{next}'");
        }

        return word is "LIKE" or "ILIKE" or "IN"
            ? word
            : throw Invalid(word.Length == 0
                ? $"expected a comparator at position {_position}"
                : $"invalid comparator '{word}'");
    }

    private FilterValue ReadValue()
    {
        SkipWhitespace();
        if (AtEnd)
        {
            throw Invalid("a value is missing at the end");
        }

        if (Current is '\'' or '"')
        {
            return FilterValue.OfText(ReadQuoted(Current));
        }

        if (Current == '(')
        {
            return FilterValue.OfList(ReadList());
        }

        var token = ReadWhile(c => !char.IsWhiteSpace(c) && c != ')');
        if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return FilterValue.OfNumber(number);
        }

        throw Invalid($"invalid value '{token}'; quote strings with single quotes and write numbers unquoted");
    }

    private List<string> ReadList()
    {
        _position++;
        var items = new List<string>();
        while (true)
        {
            SkipWhitespace();
            if (AtEnd || Current is not ('\'' or '"'))
            {
                throw Invalid("a list must contain quoted strings, for example ('a', 'b')");
            }

            items.Add(ReadQuoted(Current));
            SkipWhitespace();
            if (AtEnd)
            {
                throw Invalid("the list is missing its closing parenthesis");
            }

            var separator = Current;
            _position++;
            if (separator == ')')
            {
                return items;
            }

            if (separator != ',')
            {
                throw Invalid($"expected ',' or ')' in the list but found '{separator}'");
            }
        }
    }

    // Reads text between two quote characters. A doubled quote inside is one literal quote character.
    private string ReadQuoted(char quote)
    {
        var start = _position;
        _position++;
        var builder = new System.Text.StringBuilder();
        while (!AtEnd)
        {
            var c = Current;
            _position++;
            if (c != quote)
            {
                builder.Append(c);
                continue;
            }

            if (!AtEnd && Current == quote)
            {
                builder.Append(quote);
                _position++;
                continue;
            }

            return builder.ToString();
        }

        throw Invalid($"the quote {quote} opened at position {start} is never closed");
    }

    private string ReadWord()
    {
        SkipWhitespace();
        return ReadWhile(char.IsAsciiLetter);
    }

    private string ReadWhile(Func<char, bool> predicate)
    {
        var start = _position;
        while (!AtEnd && predicate(Current))
        {
            _position++;
        }

        return _text[start.._position];
    }

    private void SkipWhitespace()
    {
        while (!AtEnd && char.IsWhiteSpace(Current))
        {
            _position++;
        }
    }

    private TrackingException Invalid(string reason) =>
        TrackingException.InvalidParameter($"Invalid filter '{_text}': {reason}.");
}
