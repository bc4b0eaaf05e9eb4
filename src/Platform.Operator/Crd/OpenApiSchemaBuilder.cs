using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Platform.Operator.Crd;

/// <summary>
/// Derives an OpenAPI v3 schema from C# types by reflection: JSON names from <see cref="JsonPropertyNameAttribute"/>,
/// descriptions from <see cref="DescriptionAttribute"/>, and validation from the Schema* attributes.
/// </summary>
public static class OpenApiSchemaBuilder
{
    public static V1JSONSchemaProps Build(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return BuildType(Nullable.GetUnderlyingType(type) ?? type, depth: 0);
    }

    private static V1JSONSchemaProps BuildType(Type type, int depth)
    {
        if (depth > 10)
        {
            throw new InvalidOperationException($"Type '{type}' nests deeper than 10 levels; the CRD schema generator supports no recursive types.");
        }

        if (type == typeof(string))
        {
            return new V1JSONSchemaProps { Type = "string" };
        }

        if (type == typeof(bool))
        {
            return new V1JSONSchemaProps { Type = "boolean" };
        }

        if (type == typeof(int) || type == typeof(long))
        {
            return new V1JSONSchemaProps { Type = "integer", Format = type == typeof(int) ? "int32" : "int64" };
        }

        if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
        {
            return new V1JSONSchemaProps { Type = "string", Format = "date-time" };
        }

        if (type == typeof(ResourceQuantity))
        {
            // Quantities are written as "500m" or 2; the API server's own schema marks them int-or-string.
            return new V1JSONSchemaProps { XKubernetesIntOrString = true, AnyOf = [new() { Type = "integer" }, new() { Type = "string" }] };
        }

        if (type.IsEnum)
        {
            return new V1JSONSchemaProps { Type = "string", EnumProperty = Enum.GetNames(type).Cast<object>().ToList() };
        }

        if (FindGenericInterface(type, typeof(IDictionary<,>)) is { } dictionary)
        {
            return new V1JSONSchemaProps { Type = "object", AdditionalProperties = BuildType(Unwrap(dictionary.GetGenericArguments()[1]), depth + 1) };
        }

        if (FindGenericInterface(type, typeof(IEnumerable<>)) is { } enumerable)
        {
            return new V1JSONSchemaProps { Type = "array", Items = BuildType(Unwrap(enumerable.GetGenericArguments()[0]), depth + 1) };
        }

        return BuildObject(type, depth);
    }

    private static V1JSONSchemaProps BuildObject(Type type, int depth)
    {
        var properties = new Dictionary<string, V1JSONSchemaProps>(StringComparer.Ordinal);
        var required = new List<string>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            if (name is null || property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
            {
                continue;
            }

            var schema = BuildType(Unwrap(property.PropertyType), depth + 1);
            schema.Description = property.GetCustomAttribute<DescriptionAttribute>()?.Description ?? schema.Description;
            schema.Pattern = property.GetCustomAttribute<SchemaPatternAttribute>()?.Pattern ?? schema.Pattern;
            if (property.GetCustomAttribute<SchemaItemsPatternAttribute>() is { } itemsPattern && schema.Items is V1JSONSchemaProps items)
            {
                items.Pattern = itemsPattern.Pattern;
            }

            if (property.GetCustomAttribute<SchemaDefaultAttribute>() is { } defaultValue)
            {
                schema.DefaultProperty = defaultValue.Value;
            }

            if (property.GetCustomAttribute<SchemaRequiredAttribute>() is not null)
            {
                required.Add(name);
            }

            properties[name] = schema;
        }

        return new V1JSONSchemaProps
        {
            Type = "object",
            Properties = properties,
            Required = required.Count > 0 ? required : null,
        };
    }

    private static Type Unwrap(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private static Type? FindGenericInterface(Type type, Type definition)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() == definition)
        {
            return type;
        }

        return type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);
    }
}
