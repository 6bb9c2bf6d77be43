using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using K8S.Io.Apimachinery.Pkg.Runtime;

namespace Maille.Kube.Protobuf;

/// <summary>
/// Request bodies in Kubernetes' protobuf (<c>application/vnd.kubernetes.protobuf</c>), which kubectl's typed clients
/// send for built-in kinds (<c>kubectl create namespace</c>, <c>create deployment</c>, <c>auth can-i</c>): the envelope
/// (<c>k8s\0</c>, then a <c>runtime.Unknown</c> naming the object's apiVersion and kind), the object decoded with the
/// messages compiled from Kubernetes' own <c>generated.proto</c> files, and read into the JSON the API would be sent
/// (<see cref="ProtobufJson"/>), so that the rest of a write is the JSON one.
/// </summary>
public static class KubeProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    /// <summary>The compiled groups, by the apiVersion an envelope names.</summary>
    private static readonly FrozenDictionary<string, FileDescriptor> Groups = new Dictionary<string, FileDescriptor>
    {
        ["v1"] = K8S.Io.Api.Core.V1.GeneratedReflection.Descriptor,
        ["apps/v1"] = K8S.Io.Api.Apps.V1.GeneratedReflection.Descriptor,
        ["networking.k8s.io/v1"] = K8S.Io.Api.Networking.V1.GeneratedReflection.Descriptor,
        ["authorization.k8s.io/v1"] = K8S.Io.Api.Authorization.V1.GeneratedReflection.Descriptor,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether a request's <c>Content-Type</c> is Kubernetes protobuf (parameters aside).</summary>
    public static bool Is(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals(MediaType, StringComparison.OrdinalIgnoreCase);

    /// <summary>The object a protobuf body holds, as JSON with its <c>apiVersion</c> and <c>kind</c> first.</summary>
    /// <exception cref="FormatException">Not an envelope, a kind not compiled here, or bytes that are not its message.</exception>
    public static JsonObject Read(ReadOnlySpan<byte> body)
    {
        if (!body.StartsWith(Magic))
        {
            throw new FormatException("the body is not Kubernetes protobuf: it does not start with the k8s magic");
        }

        var envelope = (Unknown)Parse(Unknown.Parser, body[Magic.Length..]);
        if (envelope.ContentEncoding.Length > 0)
        {
            throw new FormatException($"protobuf content encoding \"{envelope.ContentEncoding}\" is not supported");
        }

        var apiVersion = envelope.TypeMeta?.ApiVersion ?? "";
        var kind = envelope.TypeMeta?.Kind ?? "";
        var type = Groups.TryGetValue(apiVersion, out var group) ? group.MessageTypes.FirstOrDefault(m => m.Name == kind && IsObject(m)) : null;
        if (type is null)
        {
            throw new FormatException($"no protobuf decoding for apiVersion \"{apiVersion}\", kind \"{kind}\": send it as JSON");
        }

        return ProtobufJson.Object(Parse(type.Parser, envelope.Raw.Span), new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind });
    }

    /// <summary>A kind of object, not a part of one: its first field is <c>metadata</c>, an <c>ObjectMeta</c>.</summary>
    private static bool IsObject(MessageDescriptor message) =>
        message.FindFieldByNumber(1) is { Name: "metadata", FieldType: FieldType.Message } metadata
        && metadata.MessageType.FullName == "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta";

    private static IMessage Parse(MessageParser parser, ReadOnlySpan<byte> bytes)
    {
        try
        {
            return parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException($"the protobuf body cannot be read: {e.Message}", e);
        }
    }
}
