using YamlDotNet.Serialization;
using k8s.Models;
using static Maille.Kube.Gateway.RouteDocumentParts;

namespace Maille.Kube.Gateway;

/// <summary>The on-disk shape of a GRPCRoute (gateway.networking.k8s.io/v1).</summary>
internal sealed class GrpcRouteDocument
{
    [YamlMember(Alias = "metadata")]
    public V1ObjectMeta? Metadata { get; set; }

    [YamlMember(Alias = "spec")]
    public RouteSpec<Rule>? Spec { get; set; }

    internal sealed class Rule
    {
        [YamlMember(Alias = "name")]
        public string? Name { get; set; }

        [YamlMember(Alias = "matches")]
        public List<Match?>? Matches { get; set; }

        [YamlMember(Alias = "filters")]
        public List<Filter?>? Filters { get; set; }

        [YamlMember(Alias = "backendRefs")]
        public List<BackendRef?>? BackendRefs { get; set; }
    }

    internal sealed class Match
    {
        [YamlMember(Alias = "method")]
        public MethodMatch? Method { get; set; }

        [YamlMember(Alias = "headers")]
        public List<ValueMatch?>? Headers { get; set; }
    }

    internal sealed class MethodMatch
    {
        [YamlMember(Alias = "type")]
        public string? Type { get; set; }

        [YamlMember(Alias = "service")]
        public string? Service { get; set; }

        [YamlMember(Alias = "method")]
        public string? Method { get; set; }
    }
}
