using YamlDotNet.Serialization;
using k8s.Models;
using static Maille.Kube.Gateway.RouteDocumentParts;

namespace Maille.Kube.Gateway;

/// <summary>The on-disk shape of an HTTPRoute (gateway.networking.k8s.io/v1).</summary>
internal sealed class HttpRouteDocument
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

        [YamlMember(Alias = "timeouts")]
        public Timeouts? Timeouts { get; set; }

        /// <summary>GEP-1731's <c>retry</c>, of the experimental channel (validation warns that the standard CRDs lack it).</summary>
        [YamlMember(Alias = "retry")]
        public RetrySpec? Retry { get; set; }
    }

    internal sealed class Match
    {
        [YamlMember(Alias = "path")]
        public PathMatch? Path { get; set; }

        [YamlMember(Alias = "headers")]
        public List<ValueMatch?>? Headers { get; set; }

        [YamlMember(Alias = "queryParams")]
        public List<ValueMatch?>? QueryParams { get; set; }

        [YamlMember(Alias = "method")]
        public string? Method { get; set; }
    }

    internal sealed class PathMatch
    {
        [YamlMember(Alias = "type")]
        public string? Type { get; set; }

        [YamlMember(Alias = "value")]
        public string? Value { get; set; }
    }

    internal sealed class RetrySpec
    {
        [YamlMember(Alias = "codes")]
        public List<int?>? Codes { get; set; }

        [YamlMember(Alias = "attempts")]
        public int? Attempts { get; set; }

        [YamlMember(Alias = "backoff")]
        public string? Backoff { get; set; }
    }

    internal sealed class Timeouts
    {
        [YamlMember(Alias = "request")]
        public string? Request { get; set; }

        [YamlMember(Alias = "backendRequest")]
        public string? BackendRequest { get; set; }
    }
}
