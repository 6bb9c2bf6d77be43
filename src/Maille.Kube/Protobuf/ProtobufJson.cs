using System.Collections;
using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using K8S.Io.Apimachinery.Pkg.Api.Resource;
using K8S.Io.Apimachinery.Pkg.Apis.Meta.V1;
using K8S.Io.Apimachinery.Pkg.Runtime;
using K8S.Io.Apimachinery.Pkg.Util.Intstr;

namespace Maille.Kube.Protobuf;

/// <summary>
/// A Kubernetes protobuf message read into the JSON that the same Go object marshals to, walked by its descriptor:
/// fields by their names (Kubernetes names them as their JSON), maps as objects, bytes in base64, and the types that
/// have a JSON form of their own (<c>Time</c>, <c>MicroTime</c>, <c>Duration</c>, <c>IntOrString</c>,
/// <c>Quantity</c>, <c>RawExtension</c>, <c>FieldsV1</c>) in it.
/// </summary>
/// <remarks>
/// Where the proto and Go's JSON differ, <c>go-fields.txt</c> (read from Kubernetes' types.go by <c>update.sh</c>) says
/// so. Go's protobuf writes every field of a struct, where its JSON leaves out the zeros (<c>omitempty</c>): an empty
/// <c>namespace</c> or a <c>nodePort</c> of 0 on the wire means "not set". So a zero scalar is left out, unless the Go
/// field is a pointer (<c>replicas: 0</c>, <c>automountServiceAccountToken: false</c>), which Go writes only when set.
/// A message that is present stays, empty or not (<c>resources: {}</c>), as in Go's JSON. An embedded struct (a
/// Probe's <c>handler</c>, a volume's <c>volumeSource</c>) is a field of its own in the proto, and its fields are the
/// parent's in JSON.
/// </remarks>
internal static class ProtobufJson
{
    private static readonly ILookup<string, string[]> GoFields = ReadGoFields();
    private static readonly FrozenSet<string> Pointers = GoFields["pointer"].Select(f => f[0]).ToFrozenSet(StringComparer.Ordinal);
    private static readonly FrozenSet<string> Inline = GoFields["inline"].Select(f => f[0]).ToFrozenSet(StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, string> Renamed = GoFields["rename"].ToFrozenDictionary(f => f[0], f => f[1], StringComparer.Ordinal);

    /// <summary>The message's fields, added to <paramref name="into"/> (a new object when null).</summary>
    public static JsonObject Object(IMessage message, JsonObject? into = null)
    {
        var json = into ?? [];
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            JsonNode? node;
            if (field.IsMap)
            {
                var entries = (IDictionary)value;
                var valueField = field.MessageType.FindFieldByNumber(2);
                var map = new JsonObject();
                for (var entry = entries.GetEnumerator(); entry.MoveNext();)
                {
                    map[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = Value(valueField, entry.Value!, keepZero: true);
                }

                node = map.Count == 0 ? null : map;
            }
            else if (field.IsRepeated)
            {
                var items = (IList)value;
                node = items.Count == 0 ? null : new JsonArray([.. items.Cast<object>().Select(i => Value(field, i, keepZero: true))]);
            }
            else if (field.HasPresence && !field.Accessor.HasValue(message))
            {
                node = null;
            }
            else if (Inline.Contains(field.FullName) && value is IMessage embedded)
            {
                Object(embedded, json);
                continue;
            }
            else
            {
                node = Value(field, value, keepZero: Pointers.Contains(field.FullName));
            }

            if (node is not null)
            {
                json[Renamed.GetValueOrDefault(field.FullName, field.Name)] = node;
            }
        }

        return json;
    }

    /// <summary>One value; null for a zero that Go's JSON would leave out.</summary>
    private static JsonNode? Value(FieldDescriptor field, object value, bool keepZero) => value switch
    {
        IMessage message => Message(message, keepZero),
        string text => text.Length > 0 || keepZero ? JsonValue.Create(text) : null,
        ByteString bytes => bytes.Length > 0 || keepZero ? JsonValue.Create(bytes.ToBase64()) : null,
        bool flag => flag || keepZero ? JsonValue.Create(flag) : null,
        int number => number != 0 || keepZero ? JsonValue.Create(number) : null,
        long number => number != 0 || keepZero ? JsonValue.Create(number) : null,
        uint number => number != 0 || keepZero ? JsonValue.Create(number) : null,
        ulong number => number != 0 || keepZero ? JsonValue.Create(number) : null,
        double number => number != 0 || keepZero ? JsonValue.Create(number) : null,
        float number => number != 0 || keepZero ? JsonValue.Create(number) : null,
        _ => throw new InvalidOperationException($"protobuf field {field.FullName} has a type ({field.FieldType}) that Kubernetes does not use"),
    };

    private static JsonNode? Message(IMessage message, bool keepZero) => message switch
    {
        // Go's zero time marshals as null, which a JSON body may as well leave out.
        Time time => time.Seconds == 0 && time.Nanos == 0 ? null : JsonValue.Create(Instant(time.Seconds, time.Nanos).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        MicroTime time => time.Seconds == 0 && time.Nanos == 0 ? null : JsonValue.Create(Instant(time.Seconds, time.Nanos).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)),
        Duration duration => JsonValue.Create(GoDuration(duration.Duration_)),
        IntOrString value => value.Type == 1 ? JsonValue.Create(value.StrVal)
            : value.IntVal != 0 || keepZero ? JsonValue.Create(value.IntVal) : null,
        Quantity quantity => quantity.String.Length > 0 || keepZero ? JsonValue.Create(quantity.String) : null,
        RawExtension raw => Embedded(raw.Raw),
        FieldsV1 fields => Embedded(fields.Raw),
        _ => Object(message),
    };

    /// <summary>An embedded object (a <c>RawExtension</c>, managed fields), which Kubernetes carries as JSON bytes.</summary>
    private static JsonNode? Embedded(ByteString raw)
    {
        if (raw.Length == 0)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(raw.Span);
        }
        catch (JsonException e)
        {
            throw new FormatException($"an embedded object in the protobuf body is not JSON: {e.Message}", e);
        }
    }

    private static DateTimeOffset Instant(long seconds, int nanos) =>
        seconds is >= -62_135_596_800 and <= 253_402_300_799 && nanos is >= 0 and < 1_000_000_000
            ? DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100)
            : throw new FormatException($"a protobuf time ({seconds} s, {nanos} ns) is out of range");

    /// <summary>Nanoseconds as Go's <c>time.ParseDuration</c> reads them back (<c>1h2m3.5s</c>).</summary>
    private static string GoDuration(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "0s";
        }

        var text = new StringBuilder(nanoseconds < 0 ? "-" : "");
        var left = nanoseconds == long.MinValue ? (ulong)long.MaxValue + 1 : (ulong)Math.Abs(nanoseconds);
        const ulong Second = 1_000_000_000;
        if (left >= 3600 * Second)
        {
            text.Append(CultureInfo.InvariantCulture, $"{left / (3600 * Second)}h");
            left %= 3600 * Second;
        }

        if (left >= 60 * Second)
        {
            text.Append(CultureInfo.InvariantCulture, $"{left / (60 * Second)}m");
            left %= 60 * Second;
        }

        if (left > 0)
        {
            var fraction = left % Second == 0 ? "" : "." + (left % Second).ToString("D9", CultureInfo.InvariantCulture).TrimEnd('0');
            text.Append(CultureInfo.InvariantCulture, $"{left / Second}{fraction}s");
        }

        return text.ToString();
    }

    /// <summary>The lines of <c>go-fields.txt</c> by their first word, each as the words after it.</summary>
    private static ILookup<string, string[]> ReadGoFields()
    {
        using var stream = typeof(ProtobufJson).Assembly.GetManifestResourceStream("protobuf/go-fields.txt")
            ?? throw new InvalidOperationException("the embedded protobuf/go-fields.txt is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith('#'))
            .Select(l => l.Split(' '))
            .ToLookup(words => words[0], words => words[1..], StringComparer.Ordinal);
    }
}
