using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s.Models;

namespace Maille.Kube.Schema;

/// <summary>
/// The shape of the built-in kinds, read from KubernetesClient's typed model (which is generated from the API
/// server's own OpenAPI): the type of each kind, and of each field by its JSON name. One source for everything that
/// must know the schema: unknown-field validation, the merge keys of strategic merge patch, and the OpenAPI documents
/// kubectl downloads.
/// </summary>
public static class ModelTypes
{
    private static readonly Lazy<IReadOnlyDictionary<(string ApiVersion, string Kind), Type>> Kinds = new(() =>
        typeof(V1Pod).Assembly.ExportedTypes
            .Select(t => (Type: t, Entity: t.GetCustomAttribute<KubernetesEntityAttribute>()))
            .Where(t => t.Entity is not null && !t.Type.Name.EndsWith("List", StringComparison.Ordinal))
            .GroupBy(t => (ApiVersion: t.Entity!.Group.Length == 0 ? t.Entity.ApiVersion : $"{t.Entity.Group}/{t.Entity.ApiVersion}", t.Entity!.Kind))
            .ToDictionary(g => g.Key, g => g.First().Type));

    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, ModelField>> FieldsByType = new();

    /// <summary>KubernetesClient's type for <paramref name="apiVersion"/> <paramref name="kind"/>, or null for a kind it does not know (MetalLB's, Maille's).</summary>
    public static Type? Of(string apiVersion, string kind) => Kinds.Value.GetValueOrDefault((apiVersion, kind));

    /// <summary>Every kind KubernetesClient knows, by apiVersion and kind.</summary>
    public static IReadOnlyDictionary<(string ApiVersion, string Kind), Type> All => Kinds.Value;

    /// <summary>The fields of an object type, by JSON name (empty for a scalar, a list or a map).</summary>
    public static IReadOnlyDictionary<string, ModelField> Fields(Type type) => FieldsByType.GetOrAdd(type, Read);

    /// <summary>Whether values of <paramref name="type"/> are JSON objects with known fields (a model class).</summary>
    public static bool IsObject(Type type) => type.Namespace == typeof(V1Pod).Namespace && type.IsClass && type != typeof(IntOrString) && type != typeof(ResourceQuantity);

    /// <summary>The element type when <paramref name="type"/> is a list, else null.</summary>
    public static Type? ListElement(Type type) =>
        type != typeof(string) && type != typeof(byte[]) && type.IsGenericType && type.GetGenericArguments() is [var element]
        && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? element : null;

    /// <summary>The value type when <paramref name="type"/> is a map with string keys, else null.</summary>
    public static Type? MapValue(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string) ? value : null;

    private static IReadOnlyDictionary<string, ModelField> Read(Type type) =>
        IsObject(type)
            ? type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => (Property: p, Json: p.GetCustomAttribute<JsonPropertyNameAttribute>()))
                .Where(p => p.Json is not null)
                .ToDictionary(p => p.Json!.Name, p => new ModelField(p.Json!.Name, p.Property.PropertyType, type, p.Property.Name), StringComparer.Ordinal)
            : new Dictionary<string, ModelField>(StringComparer.Ordinal);
}
