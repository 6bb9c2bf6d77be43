using System.Text;
using System.Text.Json.Nodes;

namespace Maille.Lab.Api;

/// <summary>
/// A <c>SelfSubjectAccessReview</c> sent as Kubernetes protobuf, which kubectl uses for it (no fallback to JSON): the
/// envelope (<c>k8s\0</c> then a <c>runtime.Unknown</c> whose field 2 is the object), the review's spec (field 2) and
/// its resource (field 1) or non-resource (field 2) attributes, read into the JSON the API would show. Only
/// length-delimited and varint fields occur; anything else is refused.
/// </summary>
internal static class ProtobufReview
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();
    private static readonly string[] ResourceFields = ["", "namespace", "verb", "group", "version", "resource", "subresource", "name"];
    private static readonly string[] NonResourceFields = ["", "path", "verb"];

    /// <exception cref="FormatException">Not a protobuf review.</exception>
    public static JsonObject Read(byte[] body)
    {
        if (body.Length < Magic.Length || !body.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new FormatException("not Kubernetes protobuf (no k8s magic)");
        }

        var raw = Field(body.AsSpan(Magic.Length), 2) ?? throw new FormatException("the protobuf envelope holds no object");
        var spec = Field(raw, 2) ?? [];
        var json = new JsonObject();
        if (Field(spec, 1) is { } resource)
        {
            json["resourceAttributes"] = Strings(resource, ResourceFields);
        }

        if (Field(spec, 2) is { } nonResource)
        {
            json["nonResourceAttributes"] = Strings(nonResource, NonResourceFields);
        }

        return new JsonObject { ["spec"] = json };
    }

    private static JsonObject Strings(ReadOnlySpan<byte> message, string[] names)
    {
        var result = new JsonObject();
        foreach (var (number, value) in Fields(message.ToArray()))
        {
            if (number < names.Length && value is not null)
            {
                result[names[number]] = Encoding.UTF8.GetString(value);
            }
        }

        return result;
    }

    private static byte[]? Field(ReadOnlySpan<byte> message, int wanted) =>
        Fields(message.ToArray()).Where(f => f.Number == wanted).Select(f => f.Value).LastOrDefault();

    /// <summary>The fields of one message: length-delimited ones with their bytes, varints with none.</summary>
    private static List<(int Number, byte[]? Value)> Fields(byte[] message)
    {
        var fields = new List<(int, byte[]?)>();
        var at = 0;
        while (at < message.Length)
        {
            var key = Varint(message, ref at);
            var number = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    Varint(message, ref at);
                    fields.Add((number, null));
                    break;
                case 2:
                    var length = Varint(message, ref at);
                    if (length > (ulong)(message.Length - at))
                    {
                        throw new FormatException("a protobuf field runs past its message");
                    }

                    fields.Add((number, message[at..(at + (int)length)]));
                    at += (int)length;
                    break;
                default:
                    throw new FormatException($"protobuf wire type {key & 7} is not expected in a review");
            }
        }

        return fields;
    }

    private static ulong Varint(byte[] message, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (at >= message.Length)
            {
                throw new FormatException("a protobuf varint runs past its message");
            }

            var b = message[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FormatException("a protobuf varint is too long");
    }
}
