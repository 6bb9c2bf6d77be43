using YamlDotNet.Serialization;
using k8s.Models;

namespace Maille.Kube.Gateway;

/// <summary>The on-disk shape of a Gateway (gateway.networking.k8s.io/v1). Only the fields Maille uses.</summary>
internal sealed class GatewayDocument
{
    [YamlMember(Alias = "metadata")]
    public V1ObjectMeta? Metadata { get; set; }

    [YamlMember(Alias = "spec")]
    public GatewaySpec? Spec { get; set; }

    internal sealed class GatewaySpec
    {
        [YamlMember(Alias = "gatewayClassName")]
        public string? GatewayClassName { get; set; }

        [YamlMember(Alias = "listeners")]
        public List<ListenerSpec?>? Listeners { get; set; }

        [YamlMember(Alias = "addresses")]
        public List<AddressSpec?>? Addresses { get; set; }
    }

    internal sealed class AddressSpec
    {
        [YamlMember(Alias = "type")]
        public string? Type { get; set; }

        [YamlMember(Alias = "value")]
        public string? Value { get; set; }
    }

    internal sealed class ListenerSpec
    {
        [YamlMember(Alias = "name")]
        public string? Name { get; set; }

        [YamlMember(Alias = "hostname")]
        public string? Hostname { get; set; }

        [YamlMember(Alias = "port")]
        public int? Port { get; set; }

        [YamlMember(Alias = "protocol")]
        public string? Protocol { get; set; }

        [YamlMember(Alias = "tls")]
        public TlsSpec? Tls { get; set; }

        [YamlMember(Alias = "allowedRoutes")]
        public AllowedRoutesSpec? AllowedRoutes { get; set; }
    }

    internal sealed class TlsSpec
    {
        [YamlMember(Alias = "mode")]
        public string? Mode { get; set; }

        [YamlMember(Alias = "certificateRefs")]
        public List<ObjectReferenceDocument?>? CertificateRefs { get; set; }

        [YamlMember(Alias = "options")]
        public Dictionary<string, string>? Options { get; set; }
    }

    internal sealed class AllowedRoutesSpec
    {
        [YamlMember(Alias = "namespaces")]
        public NamespacesSpec? Namespaces { get; set; }

        [YamlMember(Alias = "kinds")]
        public List<RouteKindSpec?>? Kinds { get; set; }
    }

    internal sealed class NamespacesSpec
    {
        [YamlMember(Alias = "from")]
        public string? From { get; set; }

        [YamlMember(Alias = "selector")]
        public V1LabelSelector? Selector { get; set; }
    }

    internal sealed class RouteKindSpec
    {
        [YamlMember(Alias = "group")]
        public string? Group { get; set; }

        [YamlMember(Alias = "kind")]
        public string? Kind { get; set; }
    }
}
