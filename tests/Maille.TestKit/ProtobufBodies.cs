using Google.Protobuf;
using K8S.Io.Api.Core.V1;
using K8S.Io.Apimachinery.Pkg.Runtime;
using ObjectMeta = K8S.Io.Apimachinery.Pkg.Apis.Meta.V1.ObjectMeta;

namespace Maille.TestKit;

/// <summary>
/// Kubernetes protobuf request bodies built from the compiled messages, as client-go frames them: <c>k8s\0</c>, then a
/// <c>runtime.Unknown</c> with the object's apiVersion and kind and its bytes. The captured bodies of real kubectl
/// commands are in <see cref="Goldens.ProtobufBodies"/>; these are for what kubectl does not send.
/// </summary>
internal static class ProtobufBodies
{
    public static byte[] Envelope(string apiVersion, string kind, IMessage message, string contentEncoding = "") =>
        Envelope(apiVersion, kind, message.ToByteArray(), contentEncoding);

    public static byte[] Envelope(string apiVersion, string kind, byte[] raw, string contentEncoding = "") =>
        Envelope(new Unknown
        {
            TypeMeta = new TypeMeta { ApiVersion = apiVersion, Kind = kind },
            Raw = ByteString.CopyFrom(raw),
            ContentEncoding = contentEncoding,
            ContentType = "",
        });

    public static byte[] Envelope(Unknown unknown) => [.. "k8s\0"u8, .. unknown.ToByteArray()];

    /// <summary>A pod of one container, as <c>kubectl</c> would send it.</summary>
    public static byte[] Pod(string ns, string name) => Envelope("v1", "Pod", new Pod
    {
        Metadata = new ObjectMeta { Name = name, Namespace = ns },
        Spec = new PodSpec { Containers = { new Container { Name = "c", Image = "i" } } },
    });
}
