using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Maille.Kube;

/// <summary>
/// Refuses a list or a map where a number, boolean, string or time belongs. Left alone, YamlDotNet reads <c>port: {a: 1}</c>
/// as an object of type <see cref="int"/> with no properties set, that is 0, and the error the user then sees is about
/// a port 0 they never wrote. Thrown at the collection's start, so <see cref="FieldTypeError"/> finds the field. It
/// only looks at the current event, so reading valid input costs one type test per list or map.
/// </summary>
internal sealed class ScalarFieldGuard : INodeDeserializer
{
    /// <summary>What its errors say (after the type's name), for a reader that must tell them from YamlDotNet's own.</summary>
    public const string Refusal = "a single value belongs here";

    public bool Deserialize(IParser reader, Type expectedType, Func<IParser, Type, object?> nestedObjectDeserializer, out object? value, ObjectDeserializer rootDeserializer)
    {
        if (reader.Current is MappingStart or SequenceStart && FieldTypeError.IsScalar(expectedType))
        {
            throw new YamlException(reader.Current.Start, reader.Current.End, $"{expectedType.Name}: {Refusal}, not a {(reader.Current is MappingStart ? "map" : "list")}");
        }

        value = null;
        return false;
    }
}
