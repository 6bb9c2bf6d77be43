using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;
using Maille.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Maille.Kube;

/// <summary>
/// A field whose value has the wrong shape for its type (<c>port: eighty</c>, <c>replicas: "x"</c>,
/// <c>ports: {port: 80}</c>), worded like every other field error: <c>spec.ports[0].port: Invalid value: "eighty": must
/// be an integer</c>. YamlDotNet's exception carries only the position of the node it could not read, so the object's
/// tree is walked, alongside the .NET type it was being read into, to the node that starts there: the walk gives the
/// field path (with list indices, and map keys in brackets as Kubernetes writes them) and the type the field wanted.
/// It runs only once reading has failed, so loading valid input pays nothing for it.
/// </summary>
internal sealed record FieldTypeError(string Field, string? Value, string Detail)
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>> PropertiesByYamlName = new();

    /// <summary>
    /// The field of <paramref name="root"/> (read into <paramref name="type"/>) whose value starts at <paramref name="at"/>,
    /// or null when no field's value starts there, the field is not one the type has (a merge key replays its anchor's
    /// nodes, which may sit under a key the type ignores), or the value has the shape its field takes (something inside
    /// it failed, such as an alias): the caller then reports what YamlDotNet said.
    /// </summary>
    public static FieldTypeError? Find(YamlNode root, Mark at, Type type) => Walk(root, type, "", at.Index);

    /// <summary>The fields an object has in YAML, with the name it is written under and its type.</summary>
    private static IReadOnlyDictionary<string, Type> Properties(Type type) => PropertiesByYamlName.GetOrAdd(type, static t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .GroupBy(YamlName, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().PropertyType, StringComparer.Ordinal));

    /// <summary>
    /// The name a property is read under: its <see cref="YamlMemberAttribute"/> alias (MetalLB's documents), else its
    /// JSON name (KubernetesClient's models, which <see cref="KubeYamlDeserializer"/> maps onto YAML keys), else
    /// camelCase (ClusterConfig).
    /// </summary>
    private static string YamlName(PropertyInfo property) =>
        property.GetCustomAttribute<YamlMemberAttribute>()?.Alias
        ?? property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? CamelCaseNamingConvention.Instance.Apply(property.Name);

    private static FieldTypeError? Walk(YamlNode node, Type? type, string path, long index)
    {
        // The object itself cannot be the culprit (it is a mapping, checked before reading), and a block mapping starts
        // where its first key does: only values are compared, never keys.
        if (path.Length > 0 && node.Start.Index == index)
        {
            return Describe(node, type, path);
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var valueType = DictionaryValueType(type);
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } name } && value.Start.Index <= index
                        && Walk(value, valueType ?? PropertyType(type, name), valueType is null ? Member(path, name) : $"{path}[{name}]", index) is { } found)
                    {
                        return found;
                    }
                }

                break;
            case YamlSequenceNode sequence:
                var elementType = ElementType(type);
                for (var i = 0; i < sequence.Children.Count && sequence.Children[i].Start.Index <= index; i++)
                {
                    if (Walk(sequence.Children[i], elementType, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), index) is { } found)
                    {
                        return found;
                    }
                }

                break;
        }

        return null;
    }

    private static string Member(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static FieldTypeError? Describe(YamlNode node, Type? type, string path)
    {
        // A list or map of the shape the field takes failed for another reason: an alias inside it (*p) is converted
        // where the collection is set, so the error has the collection's position. Not a field of the wrong type.
        var rightShape = node switch
        {
            YamlSequenceNode => !WrittenAsOneValue(type) && ElementType(type) is not null,
            YamlMappingNode => !WrittenAsOneValue(type) && ElementType(type) is null,
            _ => false,
        };
        if (type is null || rightShape)
        {
            return null;
        }

        var expected = Expectation(type, node as YamlScalarNode);
        return node switch
        {
            YamlScalarNode scalar => new(path, Render(scalar), expected),
            YamlSequenceNode => new(path, null, $"{expected}, not a list"),
            _ => new(path, null, $"{expected}, not a map"),
        };
    }

    /// <summary>What the field takes, in the words of the API's own schema (integer, boolean, string, object).</summary>
    private static string Expectation(Type type, YamlScalarNode? given)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IntegerRange(type) is { } range)
        {
            // "99999999999" is an integer, just not one this field can hold: say so, or the reader is left puzzled.
            return given?.Value is { } text && BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                ? $"must be an integer between {range.Min} and {range.Max}"
                : "must be an integer";
        }

        return type switch
        {
            _ when type == typeof(bool) => "must be a boolean",
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "must be a number",
            _ when type == typeof(string) => "must be a string",
            _ when type == typeof(IntOrString) => "must be an integer or a string",
            _ when type == typeof(ResourceQuantity) => "must be a quantity (e.g. 500m or 2Gi)",
            _ when type == typeof(byte[]) => "must be a base64-encoded string",
            _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => "must be a date and time (RFC 3339, e.g. 2025-01-02T15:04:05Z)",
            _ when DictionaryValueType(type) is not null => "must be a map",
            _ when ElementType(type) is not null => "must be a list",
            _ => "must be an object",
        };
    }

    private static (string Min, string Max)? IntegerRange(Type type) => type switch
    {
        _ when type == typeof(int) => (int.MinValue.ToString(CultureInfo.InvariantCulture), int.MaxValue.ToString(CultureInfo.InvariantCulture)),
        _ when type == typeof(long) => (long.MinValue.ToString(CultureInfo.InvariantCulture), long.MaxValue.ToString(CultureInfo.InvariantCulture)),
        _ when type == typeof(short) => (short.MinValue.ToString(CultureInfo.InvariantCulture), short.MaxValue.ToString(CultureInfo.InvariantCulture)),
        _ when type == typeof(uint) => ("0", uint.MaxValue.ToString(CultureInfo.InvariantCulture)),
        _ when type == typeof(ulong) => ("0", ulong.MaxValue.ToString(CultureInfo.InvariantCulture)),
        _ when type == typeof(ushort) => ("0", ushort.MaxValue.ToString(CultureInfo.InvariantCulture)),
        _ when type == typeof(byte) => ("0", byte.MaxValue.ToString(CultureInfo.InvariantCulture)),
        _ when type == typeof(sbyte) => (sbyte.MinValue.ToString(CultureInfo.InvariantCulture), sbyte.MaxValue.ToString(CultureInfo.InvariantCulture)),
        _ => null,
    };

    /// <summary>The value as written, the way field errors print values: numbers and booleans bare, anything else quoted.</summary>
    private static string Render(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        var bare = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any
            && (text is "true" or "false" || double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        return bare ? text : Diagnostic.Quote(text);
    }

    private static Type? PropertyType(Type? type, string name) =>
        type is not null && !IsScalar(type) && Properties(type).TryGetValue(name, out var property) ? property : null;

    private static Type? DictionaryValueType(Type? type) =>
        type is null ? null : Generic(type, typeof(IDictionary<,>))?.GetGenericArguments()[1];

    private static Type? ElementType(Type? type) =>
        type is null || type == typeof(string) || type == typeof(byte[]) || DictionaryValueType(type) is not null ? null
        : type.IsArray ? type.GetElementType()
        : Generic(type, typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private static Type? Generic(Type type, Type definition) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == definition
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == definition);

    /// <summary>
    /// Types read from one YAML scalar: <see cref="IsScalar"/>'s, and KubernetesClient's own (an int-or-string, a quantity,
    /// base64 bytes), whose type converters refuse a list or map themselves.
    /// </summary>
    private static bool WrittenAsOneValue(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type is not null && (IsScalar(type) || type == typeof(IntOrString) || type == typeof(ResourceQuantity) || type == typeof(byte[]));
    }

    /// <summary>Types written as one YAML scalar; <see cref="ScalarFieldGuard"/> refuses a list or map for them.</summary>
    internal static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateTimeOffset);
    }
}
