using System.Reflection;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Maille.Kube;

/// <summary>
/// Reads one object's YAML into KubernetesClient's typed model, configured exactly as KubernetesClient's own
/// <see cref="KubernetesYaml"/> (its non-strict deserializer), but one deserializer per thread. KubernetesYaml
/// serializes every call behind one lock, because YamlDotNet's deserializers are not thread-safe
/// (kubernetes-client/csharp#1544); converting a 10,000-object lab on every core needs deserializers that no two
/// threads share. <c>LargeInputLoadingTests</c> checks that both read the same objects. The one deliberate difference:
/// a list or map where a number, boolean or string belongs is refused (<see cref="ScalarFieldGuard"/>), not read as 0.
/// </summary>
internal static class KubeYamlDeserializer
{
    /// <summary>The JSON names of the model's properties, which KubernetesClient maps onto YAML keys; gathered once.</summary>
    private static readonly Lazy<IReadOnlyList<(Type Type, string Property, string Name)>> JsonNames = new(() =>
        [.. typeof(KubernetesEntityAttribute).Assembly.ExportedTypes
            .Where(t => t.Namespace == typeof(VersionInfo).Namespace && !t.IsInterface && !t.IsAbstract)
            .SelectMany(t => t.GetProperties().Select(p => (Type: t, Property: p.Name, Json: p.GetCustomAttribute<JsonPropertyNameAttribute>())))
            .Where(p => p.Json is not null)
            .Select(p => (p.Type, p.Property, p.Json!.Name))]);

    private static readonly ThreadLocal<IDeserializer> PerThread = new(Build);

    public static T Deserialize<T>(string yaml)
    {
        using var reader = new StringReader(yaml);
        return PerThread.Value!.Deserialize<T>(new MergingParser(new Parser(reader)));
    }

    private static IDeserializer Build()
    {
        var builder = new DeserializerBuilder()
            .WithNamingConvention(CamelCaseNamingConvention.Instance)
            .WithTypeConverter(new IntOrStringYamlConverter())
            .WithTypeConverter(new Base64BytesYamlConverter())
            .WithTypeConverter(new ResourceQuantityYamlConverter())
            .WithTypeConverter(new KubernetesDateTimeYamlConverter())
            .WithTypeConverter(new KubernetesDateTimeOffsetYamlConverter())
            .WithNodeDeserializer(new ScalarFieldGuard(), where => where.OnTop())
            .WithAttemptingUnquotedStringTypeDeserialization()
            .IgnoreUnmatchedProperties();
        foreach (var (type, property, name) in JsonNames.Value)
        {
            builder.WithAttributeOverride(type, property, new YamlMemberAttribute { Alias = name, ApplyNamingConventions = false });
        }

        return builder.Build();
    }

    /// <summary>Bytes (a Secret's <c>data</c>) are written in base64, as in the API; an empty value is null.</summary>
    private sealed class Base64BytesYamlConverter : IYamlTypeConverter
    {
        public bool Accepts(Type type) => type == typeof(byte[]);

        public object? ReadYaml(IParser parser, Type type, ObjectDeserializer rootDeserializer)
        {
            if (parser.Current is not Scalar scalar)
            {
                // The message KubernetesClient gives (the innermost one is what a diagnostic shows).
                throw new InvalidOperationException(parser.Current?.ToString());
            }

            parser.MoveNext();
            return string.IsNullOrEmpty(scalar.Value) ? null : Convert.FromBase64String(scalar.Value);
        }

        public void WriteYaml(IEmitter emitter, object? value, Type type, ObjectSerializer serializer) =>
            emitter.Emit(new Scalar(value is byte[] bytes ? Convert.ToBase64String(bytes) : ""));
    }
}
